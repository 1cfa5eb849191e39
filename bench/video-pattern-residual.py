#!/usr/bin/env python3
# RMS of (pattern - pattern shifted by v px) for the sin^2 bump grid, random +-1 chips (seed 7), 1080p, A = 6.
# A horizontal pan shifts along x only, so one row times the RMS of the vertical sin^2 window (sqrt(3/8)) is the 2-D figure.
import math, random
random.seed(7)
W,H,A=1920,1080,6.0
wy=math.sqrt(3/8)
for cells in (36,24,18,12):
    cols=round(cells*W/H); chips=[random.choice((-1,1)) for _ in range(cols)]
    P=[]
    for x in range(W):
        u=(x+.5)*cols/W; c=min(cols-1,int(u)); P.append(A*chips[c]*math.sin(math.pi*(u-c))**2)
    rms=lambda a: math.sqrt(sum(t*t for t in a)/len(a))*wy
    out=[f"{rms([P[x+v]-P[x] for x in range(W-v)]):.2f}" for v in (1,2,4,8,16)]
    print(f"{cells} cells ({H/cells:.0f} px): pattern rms {rms(P):.2f}; residual rms after a shift of 1,2,4,8,16 px: {', '.join(out)}")
