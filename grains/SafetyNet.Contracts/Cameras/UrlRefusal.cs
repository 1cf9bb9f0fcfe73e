namespace SafetyNet.Contracts.Cameras;

/// <summary>
/// Why a camera's stream or ONVIF URL is refused: a stable <see cref="Code"/> a client translates (<see cref="UrlRefusals"/>),
/// the <see cref="Values"/> its message names, and the English <see cref="Reason"/>, which never repeats the URL.
/// </summary>
public sealed record UrlRefusal(string Code, string Reason, IReadOnlyDictionary<string, string> Values)
{
    /// <summary>The values and more beside them, as a caller that reports the refusal (an import row, a PATCH) names it.</summary>
    public IReadOnlyDictionary<string, string> ValuesWith(params (string Name, string Value)[] more) =>
        ReasonValues.Values([.. Values.Select(v => (v.Key, v.Value)), .. more]);
}
