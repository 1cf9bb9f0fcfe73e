using System.Globalization;
using System.Text;
using SafetyNet.Contracts.Audit;
using SafetyNet.Contracts.Reviews;

namespace SafetyNet.Grains.Reviews;

/// <summary>A report as CSV: '#' lines name the report and its canonical JSON's hash and signature, then one table per section (first cell).</summary>
public static class ReviewCsv
{
    public static byte[] Render(ReviewReport r, string documentSha256, string documentSignature)
    {
        var csv = new StringBuilder();
        void Row(params object?[] cells) => csv.Append(string.Join(',', cells.Select(c => CsvCell.Of(Text(c))))).Append('\n');
        csv.Append(CultureInfo.InvariantCulture, $"#{r.Format},district={r.District},month={r.Month},from={Time(r.From)},to={Time(r.To)},produced_at={Time(r.ProducedAt)},trigger={r.Trigger},interim={Text(r.Interim)}\n");
        csv.Append(CultureInfo.InvariantCulture, $"#json_sha256,{documentSha256}\n#json_signature,{documentSignature}\n");
        Row("section", "views", "leases", "snapshots", "played", "denied", "seconds_viewed", "cameras", "agencies");
        var t = r.Totals;
        Row("totals", t.Views, t.Leases, t.Snapshots, t.Played, t.Denied, t.SecondsViewed, t.Cameras, t.Agencies);
        Row("section", "agency_id", "views", "leases", "snapshots", "seconds_viewed", "cameras");
        foreach (var a in r.ByAgency) Row("agency", a.AgencyId, a.Views, a.Leases, a.Snapshots, a.SecondsViewed, a.Cameras);
        Row("section", "seq", "kind", "lease_id", "camera_id", "agency_id", "actor", "rule", "incident_id", "purpose", "justification", "start", "end", "ended_by", "duration_seconds", "played");
        foreach (var v in r.Viewings)
            Row("viewing", v.Seq, v.Kind, v.LeaseId, v.CameraId, v.AgencyId, v.Actor, v.Rule, v.IncidentId, v.Purpose, v.Justification, v.Start, v.End, v.EndedBy, v.DurationSeconds, v.Played);
        Row("section", "flag_id", "rule", "seq", "raised_at", "raised_in_month", "resolved_at", "resolved_by");
        Row("flags", r.Flags.Raised, r.Flags.Resolved);
        foreach (var f in r.Flags.Items) Row("flag", f.FlagId, f.Rule, f.Seq, f.RaisedAt, f.RaisedInMonth, f.ResolvedAt, f.ResolvedBy);
        var c = r.Chain;
        Row("section", "intact", "covered_by_signed_checkpoint", "first_seq", "last_seq", "records_checked", "checkpoints_checked", "checkpoint_seq", "checkpoint_key_id", "checkpoint_signed_at", "problem");
        Row("chain", c.Intact, c.CoveredBySignedCheckpoint, c.FirstSeq, c.LastSeq, c.RecordsChecked, c.CheckpointsChecked, c.CheckpointSeq, c.CheckpointKeyId, c.CheckpointSignedAt, c.Problem);
        return SpreadsheetCsv.Bytes(csv.ToString());
    }

    /// <summary>Seoul time with its offset, as the review is read in Seoul.</summary>
    public static string Time(DateTimeOffset time) => time.ToOffset(ReviewMonths.SeoulOffset).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    private static string? Text(object? value) => value switch
    {
        null => null,
        DateTimeOffset time => Time(time),
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };
}
