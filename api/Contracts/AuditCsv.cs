using System.Globalization;
using SafetyNet.Contracts.Audit;

namespace SafetyNet.Api.Contracts;

/// <summary>Ledger rows as RFC 4180 CSV, each cell through <see cref="CsvCell"/>.</summary>
public static class AuditCsv
{
    public const string Header = "seq,occurred_at,kind,outcome,reason,camera_id,district_code,agency_id,session_id,incident_id,actor,purpose,justification,details,prev_hash,hash";

    public static string Row(AuditRecord record)
    {
        var e = record.Entry;
        string?[] cells =
        [
            record.Seq.ToString(CultureInfo.InvariantCulture), e.OccurredAt.UtcDateTime.ToString("O", CultureInfo.InvariantCulture), e.Kind,
            e.Outcome, e.Reason, e.CameraId, e.DistrictCode, e.AgencyId, e.SessionId, e.IncidentId, e.Actor, e.Purpose, e.Justification,
            e.Details, record.PrevHash, record.Hash,
        ];
        return string.Join(',', cells.Select(CsvCell.Of));
    }
}
