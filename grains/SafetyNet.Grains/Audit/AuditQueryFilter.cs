using System.Data.Common;
using System.Globalization;
using System.Text;
using SafetyNet.Contracts.Audit;
using SafetyNet.Grains.Persistence;

namespace SafetyNet.Grains.Audit;

/// <summary>
/// An audit query's conditions as one SQL predicate over the key columns, which the ledger and the key index name alike,
/// with its values bound as parameters to whichever command reads either.
/// </summary>
internal sealed class AuditQueryFilter
{
    private readonly StringBuilder _sql = new("1 = 1");
    private readonly List<(string Name, object Value)> _values = [];

    private AuditQueryFilter()
    {
    }

    public string Sql => _sql.ToString();

    public static AuditQueryFilter For(AuditQuery query, bool sqlite)
    {
        var filter = new AuditQueryFilter();
        filter.Equal("camera_id", query.CameraId);
        filter.Equal("agency_id", query.AgencyId);
        filter.Equal("session_id", query.SessionId);
        filter.Equal("incident_id", query.IncidentId);
        filter.Equal("kind", query.Kind);
        filter.Equal("outcome", query.Outcome);
        filter.Equal("district_code", query.DistrictCode);
        filter.Equal("purpose", query.Purpose);
        if (query.Scope is { } scope) filter.Within(scope);
        if (query.BeforeSeq is { } before) filter.Condition("seq < @before_seq", ("@before_seq", before));
        var time = sqlite ? "@{0}" : "CAST(@{0} AS timestamptz)";
        if (query.From is { } from)
            filter.Condition("occurred_at >= " + string.Format(CultureInfo.InvariantCulture, time, "from_time"), ("@from_time", AuditChain.Timestamp(from)));
        if (query.To is { } to)
            filter.Condition("occurred_at < " + string.Format(CultureInfo.InvariantCulture, time, "to_time"), ("@to_time", AuditChain.Timestamp(to)));
        return filter;
    }

    public void Bind(DbCommand command)
    {
        foreach (var (name, value) in _values) command.WithParameter(name, value);
    }

    private void Equal(string column, string? value)
    {
        if (value is not null) Condition($"{column} = @{column}", ("@" + column, value));
    }

    private void Condition(string sql, params (string Name, object Value)[] values)
    {
        _sql.Append(" AND ").Append(sql);
        _values.AddRange(values);
    }

    private void Within(AuditScope scope)
    {
        string List(string prefix, IReadOnlyList<string> values)
        {
            if (values.Count == 0) return "NULL";
            for (var i = 0; i < values.Count; i++) _values.Add(($"@{prefix}{i}", values[i]));
            return string.Join(", ", values.Select((_, i) => $"@{prefix}{i}"));
        }
        var districts = List("scope_district", scope.DistrictCodes);
        Condition(scope.CamerasOnly
            ? $"(camera_id IS NOT NULL AND district_code IN ({districts}))"
            : $"(district_code IN ({districts}) OR (district_code IS NULL AND agency_id IN ({List("scope_agency", scope.AgencyIds)})))");
    }
}
