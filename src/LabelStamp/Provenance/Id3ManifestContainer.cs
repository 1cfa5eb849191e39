using System.Buffers.Binary;
using System.Text;
using LabelStamp.Errors;

namespace LabelStamp.Provenance;

/// <summary>
/// MP3: the store is the object of an ID3v2 'GEOB' frame (C2PA §A.3.7). The MIME type written is
/// application/x-c2pa-manifest-store, the one c2pa-rs and c2pa-ts recognise; application/c2pa is also read.
/// The frame goes first in the tag; other frames are kept byte for byte, padding is dropped. A file
/// without a tag gets an ID3v2.4 tag. The exclusion covers exactly the GEOB frame, so every other tag
/// frame (e.g. the AIGC TXXX label) stays covered by the hard binding. The exclusion is the store itself,
/// not the whole frame: c2pa-rs checks that the data hash excludes exactly the manifest's location, which
/// for ID3 it takes to be the GEOB object (after the frame header and the encoding, MIME, file name and
/// description fields), and reports <c>assertion.dataHash.mismatch</c> otherwise.
/// </summary>
public sealed class Id3ManifestContainer : ManifestContainer
{
    private static ReadOnlySpan<byte> GeobHeader => "\0application/x-c2pa-manifest-store\0c2pa\0c2pa manifest store\0"u8;

    public override EmbeddedStore Embed(byte[] file, byte[] store, string name)
    {
        var tag = Id3Tag.Parse(file, name);
        var frames = tag.Frames.Where(f => !IsC2paFrame(f)).ToList();
        var body = new byte[GeobHeader.Length + store.Length];
        GeobHeader.CopyTo(body);
        store.CopyTo(body, GeobHeader.Length);
        frames.Insert(0, new Id3Frame("GEOB", body, 0));
        byte version = tag.Version;
        var extended = tag.ExtendedHeader;
        long framesSize = frames.Sum(f => 10L + f.Body.Length);
        long tagSize = extended.Length + framesSize;
        if (tagSize >= 1 << 28) throw new LabelStampException(ErrorCode.MetadataTooLarge, $"{name}: ID3 tag would exceed 256 MiB");
        var output = new byte[10 + tagSize + (file.Length - tag.AudioStart)];
        "ID3"u8.CopyTo(output);
        output[3] = version; output[4] = 0; output[5] = (byte)(tag.Flags & 0x40); // keep only "extended header"
        WriteSynchsafe(output.AsSpan(6), (int)tagSize);
        int p = 10;
        extended.CopyTo(output.AsSpan(p)); p += extended.Length;
        long storeStart = p + 10 + GeobHeader.Length;
        foreach (var f in frames)
        {
            Encoding.ASCII.GetBytes(f.Id, output.AsSpan(p, 4));
            if (version >= 4) WriteSynchsafe(output.AsSpan(p + 4), f.Body.Length);
            else BinaryPrimitives.WriteUInt32BigEndian(output.AsSpan(p + 4), (uint)f.Body.Length);
            BinaryPrimitives.WriteUInt16BigEndian(output.AsSpan(p + 8), f.Flags);
            f.Body.CopyTo(output, p + 10);
            p += 10 + f.Body.Length;
        }
        file.AsSpan(tag.AudioStart).CopyTo(output.AsSpan(p));
        return new EmbeddedStore(output, [new HashExclusion(storeStart, store.Length)]);
    }

    public override byte[]? Extract(byte[] file, string name, int maxStoreBytes = int.MaxValue)
    {
        var frame = Id3Tag.Parse(file, name).Frames.FirstOrDefault(IsC2paFrame);
        if (frame is null) return null;
        // encoding byte, then MIME, file name and description, each NUL-terminated (ID3v2.4 §4.15)
        int p = 1;
        for (int field = 0; field < 3; field++)
        {
            int nul = Array.IndexOf(frame.Body, (byte)0, p);
            if (nul < 0) throw new LabelStampException(ErrorCode.ManifestInvalid, $"{name}: C2PA GEOB frame is malformed");
            p = nul + 1;
        }
        return Checked(frame.Body.AsSpan(p), name, maxStoreBytes);
    }

    private static bool IsC2paFrame(Id3Frame f) =>
        f.Id == "GEOB" && f.Body.Length > 1
        && (f.Body.AsSpan(1).StartsWith("application/x-c2pa-manifest-store\0"u8) || f.Body.AsSpan(1).StartsWith("application/c2pa\0"u8));

    private static void WriteSynchsafe(Span<byte> s, int v)
    {
        s[0] = (byte)((v >> 21) & 0x7F); s[1] = (byte)((v >> 14) & 0x7F); s[2] = (byte)((v >> 7) & 0x7F); s[3] = (byte)(v & 0x7F);
    }

    private sealed record Id3Frame(string Id, byte[] Body, ushort Flags);

    private sealed record Id3Tag(byte Version, byte Flags, byte[] ExtendedHeader, List<Id3Frame> Frames, int AudioStart)
    {
        public static Id3Tag Parse(byte[] file, string name)
        {
            if (file.Length < 10 || !file.AsSpan().StartsWith("ID3"u8)) return new Id3Tag(4, 0, [], [], 0);
            byte version = file[3], flags = file[5];
            if (version is < 3 or > 4)
                throw new LabelStampException(ErrorCode.UnsupportedFormat, $"{name}: ID3v2.{version} tags are not supported for C2PA; re-tag the file as ID3v2.3 or 2.4");
            if ((flags & 0x80) != 0 || (flags & 0x10) != 0)
                throw new LabelStampException(ErrorCode.UnsupportedFormat, $"{name}: unsynchronised or footer-carrying ID3 tags are not supported for C2PA");
            int size = ReadSynchsafe(file.AsSpan(6));
            int end = 10 + size;
            if (end > file.Length) throw new LabelStampException(ErrorCode.TruncatedInput, $"{name}: ID3 tag runs past the end of the file");
            int p = 10;
            byte[] extended = [];
            if ((flags & 0x40) != 0)
            {
                if (p + 4 > end) throw new LabelStampException(ErrorCode.CorruptInput, $"{name}: ID3 extended header is malformed");
                int extSize = version >= 4 ? ReadSynchsafe(file.AsSpan(p)) : (int)BinaryPrimitives.ReadUInt32BigEndian(file.AsSpan(p)) + 4;
                if (extSize < 4 || (long)p + extSize > end) throw new LabelStampException(ErrorCode.CorruptInput, $"{name}: ID3 extended header is malformed");
                extended = file[p..(p + extSize)];
                p += extSize;
            }
            var frames = new List<Id3Frame>();
            while (p + 10 <= end && file[p] != 0)
            {
                string id = Encoding.ASCII.GetString(file, p, 4);
                int fsize = version >= 4 ? ReadSynchsafe(file.AsSpan(p + 4)) : (int)BinaryPrimitives.ReadUInt32BigEndian(file.AsSpan(p + 4));
                if (fsize < 0 || p + 10 + (long)fsize > end) throw new LabelStampException(ErrorCode.CorruptInput, $"{name}: ID3 frame {id} runs past its tag");
                frames.Add(new Id3Frame(id, file[(p + 10)..(p + 10 + fsize)], BinaryPrimitives.ReadUInt16BigEndian(file.AsSpan(p + 8))));
                p += 10 + fsize;
            }
            return new Id3Tag(version, flags, extended, frames, end);
        }

        private static int ReadSynchsafe(ReadOnlySpan<byte> s) => (s[0] & 0x7F) << 21 | (s[1] & 0x7F) << 14 | (s[2] & 0x7F) << 7 | (s[3] & 0x7F);
    }
}
