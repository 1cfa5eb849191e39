using LabelStamp.TestSupport;

namespace LabelStamp.Cli.Tests.Contract;

/// <summary>Issue 21, item 1: usage errors are errors (exit 2, one line, a code), help names the
/// command users type, and a bad option fails once before any file.</summary>
public sealed class UsageErrorTests
{
    [Fact]
    public void An_unknown_corner_is_one_line_naming_the_option_and_the_words_it_takes_and_exits_2()
    {
        string dir = RepoPaths.NewTempDir();
        string output = Path.Combine(dir, "out");
        var (code, stdout, err) = CliRun.Run("stamp", RepoPaths.Samples("images", "storm.jpg"), "-o", output, "--corner", "middle");
        Assert.Equal(2, code);
        Assert.Equal("error LS903: --corner 'middle': use one of bottom-right, bottom-left, top-right, top-left", CliRun.ErrorLines(err).Single());
        Assert.DoesNotContain("LabelStamp.Labels", err);
        Assert.DoesNotContain("LabelCorner", err);
        Assert.Contains("usage: labelstamp stamp --help", err);
        Assert.Equal("", stdout);
        Assert.False(Directory.Exists(output));
    }

    [Fact]
    public void A_word_outside_an_options_list_is_one_line_naming_the_option_and_its_words()
    {
        string dir = RepoPaths.NewTempDir();
        var (code, stdout, err) = CliRun.Run("stamp", RepoPaths.Samples("images", "storm.jpg"), "-o", dir, "--video-mark", "moving");
        Assert.Equal(2, code);
        Assert.Equal("error LS903: --video-mark 'moving': use one of auto, static, content-locked", CliRun.ErrorLines(err).Single());
        Assert.Equal("", stdout);
        var verify = CliRun.Run("verify", RepoPaths.Samples("images", "storm.jpg"), "--video-registered-read", "sometimes");
        Assert.Equal(2, verify.Code);
        Assert.Equal("error LS903: --video-registered-read 'sometimes': use one of on-static-miss, always, never", CliRun.ErrorLines(verify.Err).Single());
    }

    [Fact]
    public void Parse_errors_exit_2_not_1_which_means_no_label_found()
    {
        var missing = CliRun.Run("verify");
        Assert.Equal(2, missing.Code);
        Assert.StartsWith("error LS903: ", missing.Err);

        var notANumber = CliRun.Run("verify", RepoPaths.Samples("images", "storm.jpg"), "-j", "many");
        Assert.Equal(2, notANumber.Code);
        Assert.Equal("error LS903: --parallel 'many': expected a whole number", CliRun.ErrorLines(notANumber.Err).Single());

        var unknownCommand = CliRun.Run("stampp", "x.jpg");
        Assert.Equal(2, unknownCommand.Code);
        Assert.Contains("error LS903: ", unknownCommand.Err);
    }

    [Fact]
    public void Help_names_labelstamp_and_the_corner_words()
    {
        var root = CliRun.Run("--help");
        Assert.Equal(0, root.Code);
        Assert.Contains("labelstamp [command] [options]", root.Out);
        Assert.DoesNotContain("LabelStamp.Cli", root.Out);
        var stamp = CliRun.Run("stamp", "--help");
        Assert.Equal(0, stamp.Code);
        Assert.Contains("labelstamp stamp <inputs>... [options]", stamp.Out);
        Assert.Contains("--corner <bottom-right|bottom-left|top-right|top-left>", stamp.Out);
        Assert.DoesNotContain("LabelStamp.Cli", stamp.Out);
    }

    [Fact]
    public void A_corner_word_in_any_case_is_accepted()
    {
        string dir = RepoPaths.NewTempDir();
        var (code, _, err) = CliRun.Run("stamp", RepoPaths.Samples("images", "storm.jpg"), "-o", dir, "--corner", "Top-Left", "--layers", "explicit,metadata");
        Assert.True(code == 0, err);
        Assert.True(File.Exists(Path.Combine(dir, "storm.jpg")));
    }

    [Fact]
    public void A_producer_outside_annex_e_fails_once_before_any_file()
    {
        string dir = RepoPaths.NewTempDir();
        string output = Path.Combine(dir, "out");
        var (code, stdout, err) = CliRun.Run("stamp", RepoPaths.Samples("images", "storm.jpg"), RepoPaths.Samples("images", "dune.jpg"),
            "-o", output, "--producer", "ACME Labs");
        Assert.Equal(2, code);
        string line = CliRun.ErrorLines(err).Single();
        Assert.StartsWith("error LS201: --producer 'ACME Labs':", line);
        Assert.Contains("GB 45438 Annex E", line);
        Assert.DoesNotContain("ok ", stdout);
        Assert.DoesNotContain("labelstamp: key", err); // refused before the key or signer is even looked at
        Assert.False(Directory.Exists(output));
    }

    [Fact]
    public void Leaving_out_the_explicit_layer_names_the_flag_that_waives_it()
    {
        string output = Path.Combine(RepoPaths.NewTempDir(), "out");
        var (code, _, err) = CliRun.Run("stamp", RepoPaths.Samples("images", "storm.jpg"), "-o", output, "--layers", "metadata,watermark");
        Assert.Equal(2, code);
        string line = CliRun.ErrorLines(err).Single();
        Assert.StartsWith("error LS205:", line);
        Assert.Contains("--explicit-waived", line);
        Assert.False(Directory.Exists(output));
    }

    [Fact]
    public void Worker_settings_of_the_wrong_kind_are_one_line_errors_never_a_stack_trace()
    {
        var flag = CliRun.Run("run", "--bootstrap", "127.0.0.1:1", "--mode", "bogus");
        Assert.Equal(2, flag.Code);
        Assert.Equal("error LS903: --mode 'bogus': use one of provider, platform", CliRun.ErrorLines(flag.Err).Single());

        var env = new Dictionary<string, string>(CliRun.Env) { ["LABELSTAMP__Worker__Delivery"] = "twice" };
        var setting = CliRun.RunWith(env, "run", "--bootstrap", "127.0.0.1:1");
        Assert.Equal(2, setting.Code);
        string line = CliRun.ErrorLines(setting.Err).Single();
        Assert.StartsWith("error LS903: worker configuration: ", line);
        Assert.Contains("Worker:Delivery", line);
        Assert.DoesNotContain("   at ", setting.Err);
    }

    [Fact]
    public void Keys_errors_use_the_common_error_line()
    {
        var (code, _, err) = CliRun.Run("keys", "--out", "/proc/self/keys");
        Assert.Equal(2, code);
        Assert.StartsWith("error LS902: ", CliRun.ErrorLines(err).Single());
    }
}
