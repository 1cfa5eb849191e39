namespace LabelStamp.Robustness.Audio;

/// <summary>An attack's result: interleaved float PCM and the rate and channel count to read it at.</summary>
public sealed record AttackedAudio(float[] Samples, int SampleRate, int Channels)
{
    public double Seconds => Samples.Length / (double)(SampleRate * Channels);
}
