using SafetyNet.Contracts.Audit;

namespace SafetyNet.Api.Contracts;

/// <summary>The ledger's filters, shared by the paged read and the export.</summary>
public sealed record AuditFilter(
    string? Camera, string? Agency, string? Session, string? Incident, string? Kind, string? Outcome,
    string? District, string? Purpose, DateTimeOffset? From, DateTimeOffset? To)
{
    public string? Problem => From is { } f && To is { } t && f >= t ? "from must be before to." : null;

    public AuditQuery ToQuery(AuditScope? scope, int page, int pageSize, long? beforeSeq = null) =>
        new(Camera, Agency, Session, Incident, From, To, page, pageSize, Kind, Outcome, District, Purpose, scope, beforeSeq);
}
