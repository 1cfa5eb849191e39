using System.Diagnostics;
using System.Globalization;
using LabelStamp.Errors;
using LabelStamp.Formats;
using LabelStamp.Formats.Audio;
using LabelStamp.Labels;
using LabelStamp.Marks.Audio;
using LabelStamp.Marks.Payload;
using LabelStamp.Pipeline;
using LabelStamp.Media.Audio.Encoders;
using LabelStamp.Media.Audio.Flac;
using LabelStamp.Media.Ffmpeg;

namespace LabelStamp.Media.Audio;

/// <summary>
/// The audio adapter (issue 6): WAV, MP3, FLAC, Ogg (Vorbis/Opus) and audio-only MP4/M4A (AAC).
/// One decode → process → encode pass through ffmpeg pipes applies L1 (the rhythm prompt mixed over the
/// start, optionally the end — or the provider's <see cref="VoiceClip"/> instead) and L3 (the audio mark), re-encoding with the input's codec, sample rate,
/// channels and bitrate rule (<see cref="AudioCodecs"/>); L2 (the GB 45438 AIGC label) is written by the
/// encoder as a tag (ID3v2 TXXX, MP4 mdta key, Vorbis comment) or, for WAV, as a RIFF <c>AIGC</c> chunk,
/// keeping every existing tag and replacing any earlier AIGC label (exactly one per file).
/// </summary>
public sealed class AudioLabeler : IMediaLabeler
{
    private readonly ToolRunner _tools;
    private readonly RhythmPrompt _prompt;
    private readonly float _strength;

    private readonly bool _nativeEncoders;

    /// <param name="nativeEncoders">Encode in process where a codec library is installed
    /// (<see cref="InProcessEncoder"/>); false keeps ffmpeg's encoder for every format (the route used when
    /// a library is missing, and the reference the in-process route is measured and tested against).</param>
    public AudioLabeler(ToolRunner? tools = null, RhythmPrompt? prompt = null, float strength = AudioMarkEmbedder.DefaultStrength,
        bool nativeEncoders = true)
    {
        _tools = tools ?? new ToolRunner();
        _prompt = prompt ?? RhythmPrompt.Default;
        _strength = strength;
        _nativeEncoders = nativeEncoders;
    }

    /// <summary>WAV, MP3, FLAC and Ogg always; MP4 only after <see cref="Mp4Kind"/> said it is audio-only
    /// (MP4 sniffs as video), so this returns false for it and the router asks there.</summary>
    public bool Handles(MediaFormat format) => format.Kind == MediaKind.Audio;

    public async Task<(byte[] Output, Layers Applied)> LabelAsync(ReadOnlyMemory<byte> input, StampContext context, CancellationToken cancellationToken)
    {
        var format = context.Format;
        string name = context.Name;
        var container = MediaCatalog.ModuleFor(format) as MediaContainerModule
            ?? throw new LabelStampException(ErrorCode.UnsupportedFormat, $"{name}: {format.Name} is not an audio format");
        if (input.IsEmpty) throw new LabelStampException(ErrorCode.EmptyInput, $"{name}: file is empty");
        context.Limits.CheckBytes(input.Length, name);
        container.CheckHeader(input.Span, context.Limits, name);
        if (format == MediaFormat.Wav && WavPcm.TryOpen(input, name) is { } wav)
            return await LabelWavAsync(wav, container, input, context, cancellationToken).ConfigureAwait(false);
        var timeout = context.Limits.ToolTimeout;
        var layers = context.Request.Policy.Layers;
        long start = Stopwatch.GetTimestamp();

        using var ws = await MediaWorkspace.CreateAsync(input, format.Extension, cancellationToken).ConfigureAwait(false);
        var info = await new AudioProbe(_tools).ReadAsync(input, ws, format, name, timeout, cancellationToken).ConfigureAwait(false);
        context.Limits.CheckAudio(info.SampleRate, info.Channels, name);
        context.Limits.CheckDuration(info.Duration, name);
        context.Deadline?.Allow(context.Limits.AudioWork(info.Duration));
        if (format.Kind == MediaKind.Video && info.HasVideo)
            throw new LabelStampException(ErrorCode.UnsupportedFormat, $"{name}: {container.DisplayName} has a video track; it belongs to the video labeler");
        var encoderArgs = AudioCodecs.EncoderArguments(info, name); // refuses unsupported codecs before any work
        context.Timings.Add("audio-probe", Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        RestampGuard.Check(container.ReadAigc(input, info.Tags, name).Json, context);

        bool explicitLabel = (layers & Layers.Explicit) != 0;
        bool watermark = WatermarkFits(info, context);
        bool metadata = (layers & Layers.Metadata) != 0;
        string json = context.Aigc.ToJson();
        string outPath = ws.PathFor("output" + format.Extension);

        var args = FfmpegCommand.Ffmpeg();
        string demuxer = AudioCodecs.Demuxer(format);
        if (explicitLabel || watermark)
        {
            args.SampleInput("pipe:0", info.SampleRate, info.Channels).FileInput(demuxer, ws.InputPath)
                .Add("-map", "0:a", "-map_metadata", "1", "-map_metadata:s:a:0", "1:s:a:0").Add(encoderArgs).Add(CoverArtArguments(container, 1));
        }
        else
        {
            // Metadata only: no samples change, so copy the stream instead of re-encoding it.
            args.FileInput(demuxer, ws.InputPath)
                .Add("-map", "0:a", "-map_metadata", "0", "-map_metadata:s:a:0", "0:s:a:0", "-c:a", "copy").Add(CoverArtArguments(container, 0));
        }
        container.AddOutputOptions(args, metadata ? json : null, MediaKind.Audio);
        args.FileOutput(AudioCodecs.Muxer(format), outPath);

        long work = Stopwatch.GetTimestamp();
        byte[]? output = null;
        if (await CreateSampleProcessorAsync(info, context, cancellationToken).ConfigureAwait(false) is { } processor)
        {
            output = TryEncodeFlacInProcess(input, info, processor, metadata ? json : null, context, out bool refused, cancellationToken);
            if (output is null && !refused)
                output = await TryEncodeNativeAsync(ws, container, info, processor, metadata ? json : null, context, cancellationToken).ConfigureAwait(false);
            bool? inProcess = output is not null ? true
                : refused ? false
                : await TryEncodeInProcessAsync(input, info, processor, args, context, cancellationToken).ConfigureAwait(false);
            if (inProcess is not true)
            {
                var decode = PcmPipeline.Decode(demuxer, ws.InputPath, info.SampleRate, info.Channels);
                var fresh = inProcess is false ? await CreateSampleProcessorAsync(info, context, cancellationToken).ConfigureAwait(false) : processor;
                await new PcmPipeline(_tools).RunAsync(decode, info.Channels, fresh!, args, name, timeout, cancellationToken).ConfigureAwait(false);
            }
        }
        else if (metadata && container.WriteAigcInPlace(input, json, name) is { } rewritten)
        {
            output = rewritten; // no sample changes and the container's tags are ours to write (FLAC): no remux
        }
        else
        {
            await _tools.RunFfmpegAsync(args, timeout, "ffmpeg remux", name, cancellationToken).ConfigureAwait(false);
        }
        context.Timings.Add("audio-encode", Stopwatch.GetElapsedTime(work).TotalMilliseconds);

        output ??= await File.ReadAllBytesAsync(outPath, cancellationToken).ConfigureAwait(false);
        if (metadata) output = container.FinishAudioOutput(input.Span, output, json, name);
        var applied = (explicitLabel ? Layers.Explicit : 0) | (watermark ? Layers.Watermark : 0) | (metadata ? Layers.Metadata : 0);
        return (output, applied);
    }

    /// <summary>
    /// WAV in → WAV out without ffmpeg: the header gives what the probe would, the same sample processor
    /// runs over the same chunks as the ffmpeg pipe feeds it, the samples go back in their own format and
    /// every other chunk is kept byte for byte (the ffmpeg path rewrites the header and drops chunks it
    /// does not know). Two process start-ups and a probe were most of a short WAV's stamp time.
    /// </summary>
    private async Task<(byte[] Output, Layers Applied)> LabelWavAsync(WavPcm wav, MediaContainerModule container, ReadOnlyMemory<byte> input, StampContext context, CancellationToken cancellationToken)
    {
        string name = context.Name;
        long start = Stopwatch.GetTimestamp();
        context.Limits.CheckAudio(wav.SampleRate, wav.Channels, name);
        context.Limits.CheckDuration(wav.Duration, name);
        context.Deadline?.Allow(context.Limits.AudioWork(wav.Duration));
        var info = new AudioStreamInfo(wav.Codec, wav.SampleRate, wav.Channels, wav.Duration, (long)wav.SampleRate * wav.BlockAlign * 8,
            wav.IsFloat ? (wav.BitsPerSample == 32 ? "flt" : "dbl") : wav.BitsPerSample == 16 ? "s16" : "s32", wav.BitsPerSample, false,
            new Dictionary<string, string>());
        RestampGuard.Check(container.ReadAigc(input, info.Tags, name).Json, context);
        var layers = context.Request.Policy.Layers;
        bool explicitLabel = (layers & Layers.Explicit) != 0;
        bool watermark = WatermarkFits(info, context);
        bool metadata = (layers & Layers.Metadata) != 0;
        context.Timings.Add("audio-probe", Stopwatch.GetElapsedTime(start).TotalMilliseconds);

        long work = Stopwatch.GetTimestamp();
        var processor = await CreateSampleProcessorAsync(info, context, cancellationToken).ConfigureAwait(false);
        var riff = processor is null ? wav.Unchanged() : wav.Process(processor, PcmPipeline.ChunkFrames * 1024, cancellationToken);
        if (metadata) WavModule.SetAigc(riff, context.Aigc.ToJson());
        byte[] output = riff.ToArray();
        context.Timings.Add("audio-encode", Stopwatch.GetElapsedTime(work).TotalMilliseconds);
        var applied = (explicitLabel ? Layers.Explicit : 0) | (watermark ? Layers.Watermark : 0) | (metadata ? Layers.Metadata : 0);
        return (output, applied);
    }

    /// <summary>
    /// FLAC in → FLAC out with no process at all: our decoder (<see cref="FlacDecoder"/>, bit-exact), the
    /// sample processor over the pump's chunks, libFLAC in our process (<see cref="LibflacEncoder"/>), and the
    /// metadata blocks carried by our own reader (<see cref="FlacMetadata"/>: the Vorbis comment with the
    /// AIGC record set, pictures and every other block kept). Null, with nothing run, when libFLAC is
    /// missing or refuses the stream's settings, or when our metadata reader refuses the file (ffmpeg's
    /// muxer then decides what it keeps); null with <paramref name="refused"/> when our decoder refused a
    /// frame after the processor had started: the caller runs ffmpeg's decoder with a fresh processor.
    /// </summary>
    private byte[]? TryEncodeFlacInProcess(ReadOnlyMemory<byte> input, AudioStreamInfo info, PcmPipeline.ChunkProcessor processor,
        string? json, StampContext context, out bool refused, CancellationToken cancellationToken)
    {
        refused = false;
        if (!_nativeEncoders || context.Format != MediaFormat.Flac || info.Codec != "flac" || !LibflacEncoder.Available) return null;
        string name = context.Name;
        FlacMetadata metadata;
        byte[] head;
        try
        {
            metadata = FlacMetadata.Read(input.Span, name);
            head = metadata.Compose(input.Span, metadata.StreamInfoBlock.Body(input.Span), json, LibflacEncoder.Vendor);
        }
        catch (LabelStampException e) when (e.Code is ErrorCode.CorruptInput or ErrorCode.TruncatedInput)
        {
            return null;
        }
        using var encoder = LibflacEncoder.TryCreate(info.SampleRate, info.Channels, info.BitsPerSample, metadata.TotalSamples(input.Span), name);
        if (encoder is null) return null;
        try
        {
            var decoder = new FlacDecoder(input, info, name);
            PcmPipeline.Transcode(new DecodedPcmStream(decoder), info.Channels, processor, new PcmEncoderSink(encoder, info.Channels), cancellationToken);
        }
        catch (LabelStampException e) when (e.Code is ErrorCode.CorruptInput or ErrorCode.TruncatedInput or ErrorCode.UnsupportedFormat)
        {
            refused = true;
            return null;
        }
        return encoder.Finish(head, name);
    }

    /// <summary>
    /// ffmpeg decodes the input (untrusted bytes stay out of our process) and, in the same process, writes
    /// the container's tag block to a head file with the stamp's metadata options on one copied frame; our
    /// marked samples go to an encoder in this process (<see cref="InProcessEncoder"/>). Null when the codec
    /// has no in-process encoder here (nothing was run). The samples the encoder gets are those the ffmpeg
    /// encoder gets from the ffmpeg decode: same decode command, same processor, same chunks.
    /// </summary>
    private async Task<byte[]?> TryEncodeNativeAsync(MediaWorkspace ws, MediaContainerModule container, AudioStreamInfo info,
        PcmPipeline.ChunkProcessor processor, string? json, StampContext context, CancellationToken cancellationToken)
    {
        if (!_nativeEncoders) return null;
        var format = context.Format;
        using var encoder = InProcessEncoder.TryCreate(format, info, context.Name);
        if (encoder is null) return null;
        string headPath = ws.PathFor("head" + format.Extension);
        var decode = PcmPipeline.Decode(AudioCodecs.Demuxer(format), ws.InputPath, info.SampleRate, info.Channels)
            .Add("-map", "0:a", "-map_metadata", "0", "-map_metadata:s:a:0", "0:s:a:0", "-c:a", "copy", "-frames:a", "1")
            .Add(CoverArtArguments(container, 0));
        container.AddOutputOptions(decode, json, MediaKind.Audio);
        decode.FileOutput(AudioCodecs.Muxer(format), headPath);
        await new PcmPipeline(_tools).DecodeIntoAsync(decode, info.Channels, processor, new PcmEncoderSink(encoder, info.Channels),
            context.Name, context.Limits.ToolTimeout, cancellationToken).ConfigureAwait(false);
        byte[] head = await File.ReadAllBytesAsync(headPath, cancellationToken).ConfigureAwait(false);
        return encoder.Finish(head, context.Name);
    }

    /// <summary>
    /// The stream decoded in process (<see cref="InProcessDecoder"/>: FLAC bit-exact, MP3, Vorbis and
    /// Opus through managed decoders) into the encoder: one ffmpeg start-up fewer per stamp. Null when
    /// there is no in-process decoder for the stream (nothing was run); false when the decoder refused the
    /// stream (a damaged frame ffmpeg's decoder may still conceal, a feature it lacks): the caller then runs
    /// the ffmpeg decode from the start with a fresh processor (the mark's state is per run).
    /// </summary>
    private async Task<bool?> TryEncodeInProcessAsync(ReadOnlyMemory<byte> input, AudioStreamInfo info, PcmPipeline.ChunkProcessor processor,
        FfmpegCommand encode, StampContext context, CancellationToken cancellationToken)
    {
        try
        {
            if (InProcessDecoder.Open(context.Format, info, input, context.Name) is not { } decoder) return null;
            var pcm = new DecodedPcmStream(decoder);
            await new PcmPipeline(_tools).EncodeAsync(pcm, info.Channels, processor, encode, context.Name, context.Limits.ToolTimeout, cancellationToken)
                .ConfigureAwait(false);
            return true;
        }
        catch (LabelStampException e) when (e.Code is ErrorCode.CorruptInput or ErrorCode.TruncatedInput or ErrorCode.UnsupportedFormat)
        {
            return false;
        }
    }

    /// <summary>Whether the policy asks for the watermark and the stream can carry it; when it cannot, the
    /// item says so (a <see cref="LayerNotice"/>: the stamp line and the worker's headers name it, the
    /// layer list and the C2PA manifest leave it out). Audio-only items: a video's frames carry the mark
    /// whatever its sound's rate.</summary>
    private static bool WatermarkFits(AudioStreamInfo info, StampContext context)
    {
        if ((context.Request.Policy.Layers & Layers.Watermark) == 0) return false;
        if (info.SampleRate >= AudioMarkLayout.MinimumEmbedRate) return true;
        context.Notices.Add(new LayerNotice(Layers.Watermark,
            $"audio below {AudioMarkLayout.MinimumEmbedRate / 1000} kHz cannot carry the mark"));
        return false;
    }

    /// <summary>
    /// The per-chunk sample work of L1 (rhythm prompt or voice clip over the start, optionally the end)
    /// and L3 (the audio mark) for a stream described by <paramref name="info"/>, or null when the policy
    /// asks for neither. Shared by this adapter and the video adapter's audio track, so both label audio
    /// the same way whatever process feeds the samples.
    /// </summary>
    public async Task<PcmPipeline.ChunkProcessor?> CreateSampleProcessorAsync(AudioStreamInfo info, StampContext context, CancellationToken cancellationToken)
    {
        var layers = context.Request.Policy.Layers;
        bool explicitLabel = (layers & Layers.Explicit) != 0;
        bool watermark = (layers & Layers.Watermark) != 0 && info.SampleRate >= AudioMarkLayout.MinimumEmbedRate;
        if (!explicitLabel && !watermark) return null;
        context.Limits.CheckAudio(info.SampleRate, info.Channels, context.Name);
        AudioMarkEmbedder? embedder = watermark
            ? new AudioMarkEmbedder(new AudioMarkLayout(context.Key), MarkPayload.For(context.MarkId, context.Key), info.SampleRate, info.Channels, _strength)
            : null;
        long totalSamples = (long)(info.Duration.TotalSeconds * info.SampleRate);
        int channels = info.Channels, rate = info.SampleRate;
        var policy = context.Request.Policy;
        bool atEnd = _prompt.AtEnd || policy.AudioPromptAtEnd;
        VoiceClip? clip = explicitLabel && policy.VoiceClip is { } clipPath
            ? await VoiceClip.LoadAsync(clipPath, rate, channels, _tools, context.Limits.ToolTimeout, cancellationToken).ConfigureAwait(false)
            : null;
        double promptMs = clip is not null ? clip.Seconds * 1000 : _prompt.TotalMs;
        long endPrompt = Math.Max(0, totalSamples - (long)((promptMs + 50) / 1000 * rate));
        var prompt = _prompt;
        return (chunk, held, first, last) =>
        {
            if (clip is not null)
            {
                clip.MixInto(chunk, first, 0);
                if (atEnd) clip.MixInto(chunk, first, endPrompt);
            }
            else if (explicitLabel)
            {
                prompt.MixInto(chunk, channels, rate, first, 0);
                if (atEnd) prompt.MixInto(chunk, channels, rate, first, endPrompt);
            }
            if (embedder is null) return;
            embedder.Process(chunk, held);
            if (last) embedder.Finish(chunk, held);
        };
    }

    /// <summary>
    /// Keeps attached pictures (cover art: MP3 ID3 APIC, FLAC PICTURE, M4A covr without the AIGC key) through the re-encode:
    /// ffmpeg shows them as a video stream with the attached_pic disposition; it is copied, not
    /// re-encoded. The trailing '?' makes the map optional, so files without a picture are unaffected.
    /// Containers that cannot carry one (Ogg, WAV) say so in their module.
    /// </summary>
    private static string[] CoverArtArguments(MediaContainerModule container, int input) =>
        container.CarriesAttachedPicture
            ? ["-map", input.ToString(CultureInfo.InvariantCulture) + ":v?", "-c:v", "copy", "-disposition:v:0", "attached_pic"]
            : [];
}
