using LabelStamp.Errors;

namespace LabelStamp.Labels;

/// <summary>
/// The explicit label's text. GB 45438 §5 requires an AI element ("AI" or "人工智能") and a generation
/// element ("生成" or "合成"); for EU wording we accept the English equivalents.
/// </summary>
public sealed record LabelWording
{
    public const string DefaultText = "AI生成";

    private static readonly string[] AiElements = ["AI", "人工智能"];
    private static readonly string[] AiElementsIgnoreCase = ["artificial intelligence"];
    private static readonly string[] GenerationElements = ["生成", "合成"];
    private static readonly string[] GenerationElementsIgnoreCase = ["generated", "generation", "synthesized", "synthesised", "synthetic"];

    public LabelWording(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        text = text.Trim();
        if (text.Length == 0 || text.Length > 64)
            throw new LabelStampException(ErrorCode.InvalidWording, "label wording must be 1 to 64 characters");
        bool ai = AiElements.Any(e => text.Contains(e, StringComparison.Ordinal))
                  || AiElementsIgnoreCase.Any(e => text.Contains(e, StringComparison.OrdinalIgnoreCase));
        bool gen = GenerationElements.Any(e => text.Contains(e, StringComparison.Ordinal))
                   || GenerationElementsIgnoreCase.Any(e => text.Contains(e, StringComparison.OrdinalIgnoreCase));
        if (!ai || !gen)
            throw new LabelStampException(ErrorCode.InvalidWording,
                $"label wording '{text}' lacks {(ai ? "" : "an AI element (AI or 人工智能)")}{(!ai && !gen ? " and " : "")}{(gen ? "" : "a generation element (生成 or 合成)")}, which GB 45438 §5 requires");
        Text = text;
    }

    public string Text { get; }

    public static LabelWording Default { get; } = new(DefaultText);

    /// <summary>Wordings verify looks for when none is named.</summary>
    public static IReadOnlyList<LabelWording> Known { get; } =
        [Default, new("人工智能生成"), new("AI合成"), new("人工智能合成"), new("AI-generated")];

    public override string ToString() => Text;
}
