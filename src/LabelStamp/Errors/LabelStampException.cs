namespace LabelStamp.Errors;

/// <summary>
/// The one exception family of LabelStamp. <see cref="Message"/> says what is wrong and what to do,
/// and never contains user data (content is named by its content ID or file name only). It is always one
/// printable line: names and bytes from outside are escaped here (<see cref="PrintableText"/>), once for
/// every thrower, so no file name or header can split or forge an error line.
/// </summary>
public class LabelStampException : Exception
{
    public LabelStampException(ErrorCode code, string message, Exception? inner = null)
        : base(PrintableText.Escape(message), inner) => Code = code;

    public ErrorCode Code { get; }

    /// <summary>The printable stable code, e.g. "LS106".</summary>
    public string CodeText => Format(Code);

    public static string Format(ErrorCode code) => "LS" + ((int)code).ToString("D3", System.Globalization.CultureInfo.InvariantCulture);
}
