using SafetyNet.Contracts;
using SafetyNet.Contracts.Misuse;

namespace SafetyNet.Api.Contracts;

public sealed record AcknowledgeFlagBody(string? Note);

/// <summary>The flag list's filters: status (open|acknowledged), rule, and raised between from and to.</summary>
public sealed record FlagFilter(string? Status, string? Rule, DateTimeOffset? From, DateTimeOffset? To, int? Limit)
{
    public const int MaxLimit = 1000;

    public string? Problem =>
        Status is not null && !EnumNames<FlagStatus>.TryParse(Status, out _) ? $"status must be one of: {EnumNames<FlagStatus>.Expected}."
        : Rule is not null && !MisuseRules.All.Contains(Rule) ? $"rule must be one of: {string.Join(", ", MisuseRules.All)}."
        : From is { } f && To is { } t && f >= t ? "from must be before to."
        : Limit is < 1 or > MaxLimit ? $"limit must be between 1 and {MaxLimit}."
        : null;

    public FlagQuery ToQuery(IReadOnlyList<string>? districts) =>
        new(districts, EnumNames<FlagStatus>.TryParse(Status, out var status) ? status : null, Rule, From, To, Limit ?? 200);
}
