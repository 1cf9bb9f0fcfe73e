using SafetyNet.Contracts.Incidents;

namespace SafetyNet.Api.Interop;

/// <summary>What a CAP message asks of its alert's incident.</summary>
public enum CapMessageKind
{
    /// <summary>A new alert: open an incident over its area.</summary>
    Alert,

    /// <summary>An update of the alerts it references: the incident moves to, and covers, the area it now gives.</summary>
    Update,

    /// <summary>A cancel of the alerts it references, or an update saying all clear: the incident closes.</summary>
    End,

    /// <summary>An alert, or an update, for a whole city or province: shown to the situation room, opening no access.</summary>
    Notice,
}

/// <summary>
/// A CAP message as SafetyNet acts on it: its identifier, the identifiers of the earlier messages it references
/// (<c>&lt;references&gt;</c>), for an alert or update the incident its area and severity describe, and for an end the
/// reason the incident closes with, for a notice the notice.
/// </summary>
public sealed record CapMessage(string Identifier, CapMessageKind Kind, IReadOnlyList<string> References, OpenIncident? Incident, string? CloseReason = null,
    AlertNotice? Notice = null)
{
    private const string ReferencePrefix = "cap:";

    /// <summary>Why an incident closes when an update referencing its alert and another's followed the other one.</summary>
    public const string SupersededReason = "cap-superseded";

    /// <summary>The longest identifier whose reference fits an incident's external reference (128 characters).</summary>
    public static readonly int MaxIdentifierLength = OpenIncident.MaxExternalReferenceLength - ReferencePrefix.Length;

    /// <summary>The reference an incident is found by: an alert's own identifier, and every later message's that reached it.</summary>
    public static string ExternalReference(string identifier) => ReferencePrefix + identifier;
}
