using LabelStamp.Errors;
using LabelStamp.Labels;

namespace LabelStamp.Tests.Labels;

public class MarkKeyTests
{
    private static readonly string Hex = string.Concat(Enumerable.Range(0, 32).Select(i => (i * 7 % 256).ToString("x2")));

    [Fact]
    public void Mark_id_is_deterministic_and_depends_on_key_producer_and_id()
    {
        var key = MarkKey.FromText(Hex, "test");
        var other = MarkKey.FromText(Hex.Replace('0', '1'), "test");
        Assert.Equal(MarkId.Compute(key, "P", "I"), MarkId.Compute(key, "P", "I"));
        Assert.NotEqual(MarkId.Compute(key, "P", "I"), MarkId.Compute(other, "P", "I"));
        Assert.NotEqual(MarkId.Compute(key, "P", "I"), MarkId.Compute(key, "P", "J"));
        // The separator keeps ("ab","c") and ("a","bc") apart.
        Assert.NotEqual(MarkId.Compute(key, "ab", "c"), MarkId.Compute(key, "a", "bc"));
        var id = MarkId.Compute(key, "P", "I");
        Assert.Equal(id, MarkId.Parse(id.ToString()));
        Assert.Equal(16, id.ToString().Length);
    }

    [Fact]
    public void Key_text_forms_agree_and_the_key_is_never_printed()
    {
        var fromHex = MarkKey.FromText(Hex, "test");
        var fromBase64 = MarkKey.FromText(Convert.ToBase64String(Convert.FromHexString(Hex)), "test");
        Assert.Equal(fromHex.KeyId, fromBase64.KeyId);
        Assert.Equal(8, fromHex.KeyId.Length);
        Assert.DoesNotContain(Hex, fromHex.ToString());
        Assert.Contains(fromHex.KeyId, fromHex.ToString());
    }

    [Theory]
    [InlineData("abcd")]
    [InlineData("zz")]
    public void Malformed_keys_are_refused(string text) =>
        Assert.Equal(ErrorCode.KeyInvalid, Assert.Throws<LabelStampException>(() => MarkKey.FromText(text, "test")).Code);

    /// <summary>Issue 22: a key "file" that is a device or a FIFO is refused before it is opened (a FIFO would block start-up).</summary>
    [Fact]
    public void A_key_file_must_be_a_regular_file()
    {
        string dir = LabelStamp.TestSupport.RepoPaths.NewTempDir();
        string zero = Path.Combine(dir, "mark.key"), fifo = Path.Combine(dir, "fifo.key"), good = Path.Combine(dir, "good.key");
        File.CreateSymbolicLink(zero, "/dev/zero");
        var made = LabelStamp.TestSupport.ExternalTool.Run("mkfifo", [fifo]);
        Assert.True(made.ExitCode == 0, made.StdErr);
        File.WriteAllText(good, new string('b', 64) + "\n");
        Assert.Equal(ErrorCode.NotRegularFile, Assert.Throws<LabelStampException>(() => MarkKey.FromFile(zero)).Code);
        Assert.Equal(ErrorCode.NotRegularFile, Assert.Throws<LabelStampException>(() => MarkKey.FromFile(fifo)).Code);
        Assert.Equal(MarkKey.FromText(new string('b', 64), "text").KeyId, MarkKey.FromFile(good).KeyId);
    }
}
