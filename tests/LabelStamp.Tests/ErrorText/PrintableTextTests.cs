using LabelStamp.Errors;

namespace LabelStamp.Tests.ErrorText;

/// <summary>Issue 22: text from outside is printed on one line, visibly escaped, and unambiguously.</summary>
public sealed class PrintableTextTests
{
    [Theory]
    [InlineData("plain name.jpg", "plain name.jpg")]
    [InlineData("a\nb", @"a\nb")]
    [InlineData("a\r\nb\t", @"a\r\nb\t")]
    [InlineData("\u001b[31mred", @"\x1b[31mred")]
    [InlineData("del\u007f c1\u0085", @"del\x7f c1\x85")]
    [InlineData("sep\u2028para\u2029", @"sep\u2028para\u2029")]
    [InlineData("bidi\u202egpj.exe", @"bidi\u202egpj.exe")]
    [InlineData(@"back\slash", @"back\\slash")]
    [InlineData("中文 AI生成", "中文 AI生成")]
    public void Escapes_control_separator_and_bidi_characters(string raw, string printed) => Assert.Equal(printed, PrintableText.Escape(raw));

    [Fact]
    public void A_forged_error_line_inside_a_name_stays_inside_one_line()
    {
        var e = new LabelStampException(ErrorCode.CorruptInput, "err\nerror LS000: fake.jpg: not an image");
        Assert.DoesNotContain('\n', e.Message);
        Assert.Equal(@"err\nerror LS000: fake.jpg: not an image", e.Message);
    }

    [Fact]
    public void Distinct_names_stay_distinct_after_escaping()
    {
        Assert.NotEqual(PrintableText.Escape("a\nb"), PrintableText.Escape(@"a\nb"));
    }
}
