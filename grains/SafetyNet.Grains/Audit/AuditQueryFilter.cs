using System.Data.Common;
using System.Globalization;
using SafetyNet.Contracts.Audit;
using SafetyNet.Grains.Persistence;

namespace SafetyNet.Grains.Audit;

/// <summary>
/// An audit query's conditions as one SQL predicate over the key columns, which the ledger and the key index name alike,
/// with its values bound as parameters to whichever command reads either.
/// </summary>
internal sealed class AuditQueryFilter
{
    private readonly List<string> _conditions = ["1 = 1"];
    private readonly List<(string Name, object Value)> _values = [];
    private int _scopeCondition = -1;
    private string[] _scopeBranches = [];

    private AuditQueryFilter()
    {
    }

    public string Sql => string.Join(" AND ", _conditions);

    /// <summary>
    /// <see cref="Sql"/> as disjoint branches, one per district and agency of the scope (their union is <see cref="Sql"/>),
    /// so that each is one ordered index range: SQLite answers the scope's OR by collecting every match before sorting. One
    /// branch, <see cref="Sql"/> itself, when the query has no scope.
    /// </summary>
    public IReadOnlyList<string> Branches => _scopeCondition < 0 ? [Sql]
        : [.. _scopeBranches.Select(branch => string.Join(" AND ", _conditions.Select((c, i) => i == _scopeCondition ? $"({branch})" : c)))];

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

    /// <summary>Kinds of a district's edits that have a partial index of their own (<see cref="EditsOf"/>).</summary>
    private static readonly string[] IndexedEditKinds = [AuditKinds.PolicyChange, AuditKinds.MaskChange];

    /// <summary>
    /// A district's edits of one kind (its policy edits, or its cameras' mask edits): the kind as a literal, so that SQLite
    /// and PostgreSQL use the partial index that holds only those (ix_audit_keys_policy_change, ix_audit_keys_mask_change
    /// and their ix_audit_ledger_ counterparts) instead of walking the district's decisions.
    /// </summary>
    public static AuditQueryFilter EditsOf(string kind, string districtCode)
    {
        if (!IndexedEditKinds.Contains(kind)) throw new ArgumentOutOfRangeException(nameof(kind), kind, "Only kinds with a partial index of their own are written into the SQL.");
        var filter = new AuditQueryFilter();
        filter.Condition($"kind = '{kind}'");
        filter.Equal("district_code", districtCode);
        return filter;
    }

    /// <summary>
    /// The issues and ends of an incident's grant to one agency in one district: the kinds as literals, so that SQLite and
    /// PostgreSQL use the partial index that holds only those (ix_audit_keys_grant_history, ix_audit_ledger_grant_history)
    /// instead of walking the incident's decisions.
    /// </summary>
    public static AuditQueryFilter GrantHistoryOf(string incidentId, string agencyId, string districtCode)
    {
        var filter = new AuditQueryFilter();
        filter.Condition($"kind IN ('{AuditKinds.Grant}', '{AuditKinds.Revocation}')");
        filter.Equal("incident_id", incidentId);
        filter.Equal("agency_id", agencyId);
        filter.Equal("district_code", districtCode);
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
        _conditions.Add(sql);
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
        string[] districtCodes = [.. scope.DistrictCodes.Distinct()], agencyIds = scope.CamerasOnly ? [] : [.. scope.AgencyIds.Distinct()];
        var districts = List("scope_district", districtCodes);
        var agencies = List("scope_agency", agencyIds);
        var byDistrict = districtCodes.Select((_, i) => scope.CamerasOnly
            ? $"camera_id IS NOT NULL AND district_code = @scope_district{i}"
            : $"district_code = @scope_district{i}");
        var byAgency = agencyIds.Select((_, i) => $"district_code IS NULL AND agency_id = @scope_agency{i}");
        // A scope of nothing matches nothing; one false branch keeps that true of the branches.
        _scopeBranches = [.. byDistrict.Concat(byAgency).DefaultIfEmpty("0 = 1")];
        _scopeCondition = _conditions.Count;
        Condition(scope.CamerasOnly
            ? $"(camera_id IS NOT NULL AND district_code IN ({districts}))"
            : $"(district_code IN ({districts}) OR (district_code IS NULL AND agency_id IN ({agencies})))");
    }
}
