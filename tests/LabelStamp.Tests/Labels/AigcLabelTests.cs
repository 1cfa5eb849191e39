using LabelStamp.Errors;
using LabelStamp.Labels;

namespace LabelStamp.Tests.Labels;

public class AigcLabelTests
{
    [Fact]
    public void Json_has_the_seven_annex_fields_in_order_without_white_space()
    {
        var label = new AigcLabel("1", "001191310000000000000000000", "img-42");
        Assert.Equal("{\"Label\":\"1\",\"ContentProducer\":\"001191310000000000000000000\",\"ProduceID\":\"img-42\",\"ReservedCode1\":\"\",\"ContentPropagator\":\"\",\"PropagateID\":\"\",\"ReservedCode2\":\"\"}",
            label.ToJson());
    }

    [Theory]
    [InlineData("has space")]
    [InlineData("quote\"")]
    [InlineData("back\\slash")]
    [InlineData("中文")]
    [InlineData("tab\t")]
    public void Values_outside_the_annex_charset_are_refused(string value)
    {
        var e = Assert.Throws<LabelStampException>(() => new AigcLabel("1", "P", value));
        Assert.Equal(ErrorCode.InvalidAigcField, e.Code);
        Assert.Contains("ProduceID", e.Message);
    }

    [Fact]
    public void Label_value_must_be_1_2_or_3()
    {
        Assert.Equal(ErrorCode.InvalidAigcField, Assert.Throws<LabelStampException>(() => new AigcLabel("4", "P", "I")).Code);
        Assert.Equal("3", new AigcLabel("3", "P", "I").Label);
    }

    [Fact]
    public void Parse_round_trips_and_refuses_unknown_fields()
    {
        var label = new AigcLabel("1", "P1", "I1") { ContentPropagator = "PL", PropagateID = "x-9" };
        Assert.Equal(label, AigcLabel.Parse(label.ToJson()));
        Assert.Throws<LabelStampException>(() => AigcLabel.Parse("{\"Label\":\"1\",\"ContentProducer\":\"P\",\"ProduceID\":\"I\",\"Extra\":\"x\"}"));
        Assert.Throws<LabelStampException>(() => AigcLabel.Parse("not json"));
    }

    [Fact]
    public void Signature_validates_and_detects_an_edited_field()
    {
        var key = MarkKey.FromBytes(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());
        var label = new AigcLabel("1", "P1", "I1");
        var mark = MarkId.Compute(key, "P1", "I1");
        var signed = label with { ReservedCode1 = AigcSignature.Create(key, label, mark) };
        Assert.True(AigcLabel.IsAllowedValue(signed.ReservedCode1));
        var check = AigcSignature.Check(key, signed);
        Assert.Equal(AigcSignatureStatus.Valid, check.Status);
        Assert.Equal(mark, check.MarkId);

        var edited = new AigcLabel("1", "P1", "I2") { ReservedCode1 = signed.ReservedCode1 };
        Assert.Equal(AigcSignatureStatus.Invalid, AigcSignature.Check(key, edited).Status);
        var otherKey = MarkKey.FromBytes(new byte[32]);
        Assert.Equal(AigcSignatureStatus.UnknownKey, AigcSignature.Check(otherKey, signed).Status);
    }
}
