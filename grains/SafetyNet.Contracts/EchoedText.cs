namespace SafetyNet.Contracts;

/// <summary>
/// What a message or report repeats of text a client sent: its start. A field of a file or a body may be megabytes, and
/// a report may repeat a thousand of them.
/// </summary>
public static class EchoedText
{
    public const int MaxChars = 100;

    public static string Cut(string value) => value.Length <= MaxChars ? value : value[..MaxChars] + "…";
}
