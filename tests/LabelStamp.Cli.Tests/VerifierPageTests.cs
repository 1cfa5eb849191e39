using System.Text.Json;
using LabelStamp.TestSupport;

namespace LabelStamp.Cli.Tests;

/// <summary>
/// The verifier page of `labelstamp serve` in a real browser: Debian's chromium driven by playwright-core
/// (tests/browser/verifier.mjs, headless, --no-sandbox as root, --disable-background-networking) against a
/// serve process on a loopback port. It uploads a stamped JPEG, WAV and MP4 and an unlabeled JPEG through
/// the page's file picker and reports what the page rendered; this test asserts on that report. Screenshots
/// land in verifier-screenshots/ of the test output (scripts/verifier-screenshots.sh makes docs/verifier-*.png).
/// </summary>
public sealed class VerifierPageTests
{
    [Fact]
    public void Page_shows_every_layer_the_label_box_the_prompt_and_the_checklist_for_image_audio_video_and_an_unlabeled_file()
    {
        Assert.True(File.Exists("/usr/bin/chromium"), "chromium is missing: run scripts/install-deps.sh (apt-get install chromium)");
        string driver = Path.Combine(RepoPaths.Root, "tests", "browser");
        Assert.True(Directory.Exists(Path.Combine(driver, "node_modules", "playwright-core")), "playwright-core is missing: run scripts/install-deps.sh");

        string work = RepoPaths.NewTempDir(), labeled = Path.Combine(work, "labeled");
        string wav = Path.Combine(work, "speech.wav");
        var cut = ExternalTool.Run("ffmpeg", ["-v", "error", "-i", RepoPaths.Samples("audio", "speech-espeak.flac"), "-t", "6", wav]);
        Assert.True(cut.ExitCode == 0, cut.StdErr);
        // The key serve verifies with (ServeProcess), so the watermark and ReservedCode1 are checked.
        var env = new Dictionary<string, string>(CliRun.Env) { ["LABELSTAMP_MARK_KEY"] = new string('a', 64) };
        var stamped = CliRun.RunWith(env, "stamp", RepoPaths.Samples("images", "ladybird.jpg"), wav, RepoPaths.Samples("video", "pan-zoom.mp4"), "-o", labeled, "-j", "2");
        Assert.True(stamped.Code == 0, stamped.Err + stamped.Out);
        string unlabeled = Path.Combine(work, "unlabeled.jpg");
        File.Copy(RepoPaths.Samples("images", "storm.jpg"), unlabeled);

        string store = RepoPaths.NewTempDir();
        using var serve = ServeProcess.Start(store, "--verify-burst", "20");
        string shots = Path.Combine(AppContext.BaseDirectory, "verifier-screenshots");
        var run = ExternalTool.Run("node", [Path.Combine(driver, "verifier.mjs"), "--base", serve.Base, "--out", shots,
            "image=" + Path.Combine(labeled, "ladybird.jpg"), "audio=" + Path.Combine(labeled, "speech.wav"),
            "video=" + Path.Combine(labeled, "pan-zoom.mp4"), "unlabeled=" + unlabeled], 150_000);
        Assert.True(run.ExitCode == 0, run.StdErr);
        using var doc = JsonDocument.Parse(run.StdOut);
        var cases = doc.RootElement.GetProperty("cases").EnumerateArray().ToDictionary(c => c.GetProperty("name").GetString()!);

        foreach (var (name, c) in cases)
        {
            Assert.Equal("done", c.GetProperty("state").GetString());
            Assert.True(c.GetProperty("keyboardReachesPicker").GetBoolean(), name + ": Tab does not reach the file picker");
            Assert.Equal("verdict", c.GetProperty("focusedAfterResult").GetString());
            Assert.Empty(c.GetProperty("external").EnumerateArray());
            Assert.True(c.GetProperty("consoleErrors").GetArrayLength() == 0, name + ": " + c.GetProperty("consoleErrors"));
            Assert.Equal(18, c.GetProperty("download").GetProperty("checks").GetInt32());
            Assert.True(c.GetProperty("download").GetProperty("htmlHasTable").GetBoolean());
            Assert.True(File.Exists(c.GetProperty("screenshot").GetString()));
        }

        var image = cases["image"];
        Assert.Equal("found", image.GetProperty("verdict").GetString());
        Assert.Equal("image", image.GetProperty("kind").GetString());
        AssertLayers(image, "found", "found", "found", "found");
        Assert.True(image.GetProperty("imageShown").GetBoolean());
        var box = image.GetProperty("box");
        Assert.True(Percent(box, "left") > 50 && Percent(box, "top") > 50, "label box not at the bottom-right: " + box);
        Assert.InRange(Percent(box, "width"), 3, 40);
        Assert.Equal("valid", image.GetProperty("aigcSignature").GetString());
        Assert.Matches("^[0-9a-f]{16}$", image.GetProperty("watermarkMarkId").GetString());
        var codes = image.GetProperty("validationCodes").EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.Contains("claimSignature.validated", codes);
        Assert.Contains("assertion.dataHash.match", codes);
        AssertChecks(image, ("explicit.position", "pass"), ("explicit.ink-height", "pass"), ("explicit.contrast", "pass"),
            ("explicit.opening-duration", "not-applicable"), ("aigc.reserved-code1", "pass"), ("eu.two-layers", "pass"), ("eu.free-detector", "pass"));

        var audio = cases["audio"];
        Assert.Equal("audio", audio.GetProperty("kind").GetString());
        AssertLayers(audio, "found", "found", "found", "found");
        var wave = audio.GetProperty("waveform");
        Assert.True(wave.GetProperty("decoded").GetBoolean(), "chromium did not decode the WAV");
        Assert.True(wave.GetProperty("promptMarked").GetBoolean(), "rhythm prompt not marked on the waveform");
        AssertChecks(audio, ("explicit.audio-prompt", "pass"), ("explicit.ink-height", "not-applicable"), ("eu.two-layers", "pass"));

        var video = cases["video"];
        Assert.Equal("video", video.GetProperty("kind").GetString());
        AssertLayers(video, "found", "found", "found", "found");
        Assert.True(video.GetProperty("imageShown").GetBoolean(), "no preview frame");
        Assert.True(Percent(video.GetProperty("box"), "left") > 50);
        Assert.Contains("assertion.bmffHash.match", video.GetProperty("validationCodes").EnumerateArray().Select(e => e.GetString()));
        AssertChecks(video, ("explicit.opening-duration", "pass"), ("explicit.ink-height", "pass"), ("explicit.contrast", "pass"), ("eu.two-layers", "pass"));

        var none = cases["unlabeled"];
        Assert.Equal("none", none.GetProperty("verdict").GetString());
        AssertLayers(none, "not-found", "not-found", "not-found", "not-found");
        Assert.Equal(JsonValueKind.Null, none.GetProperty("box").ValueKind);
        AssertChecks(none, ("explicit.position", "fail"), ("explicit.ink-height", "not-measured"), ("aigc.record", "fail"), ("eu.free-detector", "fail"));

        var phone = doc.RootElement.GetProperty("phone");
        Assert.True(phone.GetProperty("scrollWidth").GetInt32() <= phone.GetProperty("viewportWidth").GetInt32(), "the page scrolls sideways on a phone: " + phone);

        // Nothing of the uploads reaches the server's log: no names, only sizes and verdicts.
        var log = string.Join("\n", serve.Lines);
        foreach (string name in new[] { "ladybird", "speech", "pan-zoom", "unlabeled", "storm" })
            Assert.DoesNotContain(name, log, StringComparison.OrdinalIgnoreCase);
        Assert.True(serve.WaitForLines(5, "verify: ").Count >= 5, log);
    }

    private static void AssertLayers(JsonElement c, string @explicit, string metadata, string watermark, string provenance)
    {
        var layers = c.GetProperty("layers");
        Assert.Equal(@explicit, layers.GetProperty("explicit").GetString());
        Assert.Equal(metadata, layers.GetProperty("metadata").GetString());
        Assert.Equal(watermark, layers.GetProperty("watermark").GetString());
        Assert.Equal(provenance, layers.GetProperty("provenance").GetString());
    }

    private static void AssertChecks(JsonElement c, params (string Id, string Status)[] expected)
    {
        var rows = c.GetProperty("conformance");
        foreach (var (id, status) in expected)
            Assert.True(rows.GetProperty(id).GetString() == status, $"{c.GetProperty("name")}: {id} is {rows.GetProperty(id)}, expected {status}");
    }

    private static double Percent(JsonElement box, string side) =>
        double.Parse(box.GetProperty(side).GetString()!.TrimEnd('%'), System.Globalization.CultureInfo.InvariantCulture);
}
