using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using SafetyNet.Contracts.Audit;
using SafetyNet.Contracts.Geo;
using SafetyNet.Contracts.Misuse;

namespace SafetyNet.Grains.Misuse;

/// <summary>
/// The misuse rules, deterministic, over the ledger entries in seq order. It keeps the recent views, denials and incidents
/// (<see cref="MisuseOptions.Lookback"/>) in memory; <see cref="Observe"/> judges a new entry, <see cref="Tick"/> what
/// time alone decides (an incident never confirmed). Windows are reckoned in the entries' own times, so the result does
/// not depend on when the entries are read. A pattern spanning several districts raises one flag per district, each with
/// that district's entries as evidence.
/// </summary>
public sealed class MisuseDetector(MisuseOptions options, IMisusePlaces places)
{
    private static readonly HashSet<string> ViewKinds = [AuditKinds.View, AuditKinds.Snapshot, AuditKinds.UnmaskedView];
    private static readonly HashSet<string> AttemptKinds = [AuditKinds.AccessDecision, AuditKinds.Lease, AuditKinds.Snapshot, AuditKinds.UnmaskedView, AuditKinds.IncidentOpen, AuditKinds.IncidentConfirm];
    private const string PersonOpened = "pending-review";

    /// <summary>The kinds the rules look at besides refusals (which they look at whatever their kind): the rest of the ledger, mostly allowed decisions, is never read.</summary>
    public static readonly IReadOnlyList<string> KindsJudged =
        [AuditKinds.View, AuditKinds.Snapshot, AuditKinds.UnmaskedView, AuditKinds.IncidentOpen, AuditKinds.IncidentConfirm, AuditKinds.IncidentClose];

    private readonly Dictionary<string, List<AuditRecord>> _views = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<AuditRecord>> _denials = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<AuditRecord>> _incidentViews = new(StringComparer.Ordinal);
    private readonly Dictionary<string, AuditRecord> _opens = new(StringComparer.Ordinal);
    private readonly Dictionary<string, AuditRecord> _awaitingConfirmation = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Rule, string Key), DateTimeOffset> _quietUntil = new();
    private DateTimeOffset _latest = DateTimeOffset.MinValue;

    /// <summary>Takes an entry into the windows without judging it (re-reading the recent past after a restart).</summary>
    public void Remember(AuditRecord record) => Track(record);

    /// <summary>Keeps a rule quiet as it was before a restart: the flag was raised, so the same pattern raises no second one.</summary>
    public void Remember(MisuseFlag flag)
    {
        var until = flag.RaisedAt + options.FlagCooldown;
        if (!_quietUntil.TryGetValue((flag.Rule, flag.Key), out var known) || known < until) _quietUntil[(flag.Rule, flag.Key)] = until;
        if (flag.Rule == MisuseRules.UnconfirmedIncident) _awaitingConfirmation.Remove(IncidentOf(flag.Key));
    }

    public IReadOnlyList<MisuseFlag> Observe(AuditRecord record)
    {
        Track(record);
        var entry = record.Entry;
        var flags = new List<MisuseFlag>();
        if (IsView(entry)) JudgeView(record, flags);
        if (entry.Outcome == "deny" && AttemptKinds.Contains(entry.Kind)) JudgeDenial(record, flags);
        if (entry.Kind == AuditKinds.IncidentClose && entry.IncidentId is { } closed) JudgeClose(record, closed, flags);
        return flags;
    }

    /// <summary>What time alone decides: incidents a person opened that nobody confirmed in time. Also forgets what no rule looks back to.</summary>
    public IReadOnlyList<MisuseFlag> Tick(DateTimeOffset now)
    {
        var flags = new List<MisuseFlag>();
        foreach (var (incident, open) in _awaitingConfirmation.Where(p => p.Value.Entry.OccurredAt + options.UnconfirmedAfter <= now).ToList())
        {
            _awaitingConfirmation.Remove(incident);
            var views = _incidentViews.GetValueOrDefault(incident) ?? [];
            Raise(flags, MisuseRules.UnconfirmedIncident, IncidentKey(incident), open, [open, .. views], now,
                $"{Suspect(open.Entry)} opened incident {incident} and no supervisor confirmed it within {options.UnconfirmedAfter}; {views.Count} view(s) under it");
        }
        Forget(now);
        foreach (var key in _quietUntil.Where(q => q.Value <= now).Select(q => q.Key).ToList()) _quietUntil.Remove(key);
        return flags;
    }

    private void Track(AuditRecord record)
    {
        var entry = record.Entry;
        if (entry.OccurredAt > _latest) _latest = entry.OccurredAt;
        // Only views without an incident are looked back on per operator (for up to a day); a view under an incident is
        // kept with its incident alone, so a busy incident workload does not fill the operator windows.
        if (IsView(entry))
        {
            if (entry.IncidentId is { } incident) Add(_incidentViews, incident, record);
            else Add(_views, Suspect(entry), record);
        }
        else if (entry.Outcome == "deny" && AttemptKinds.Contains(entry.Kind)) Add(_denials, Suspect(entry), record);
        else if (entry is { Kind: AuditKinds.IncidentOpen, Outcome: "allow", IncidentId: { } opened })
        {
            _opens[opened] = record;
            if (entry.Reason == PersonOpened) _awaitingConfirmation[opened] = record;
        }
        else if (entry is { Kind: AuditKinds.IncidentConfirm, Outcome: "allow", IncidentId: { } confirmed }) _awaitingConfirmation.Remove(confirmed);
    }

    private void JudgeView(AuditRecord view, List<MisuseFlag> flags)
    {
        var entry = view.Entry;
        var suspect = Suspect(entry);
        var at = entry.OccurredAt;
        if (entry.IncidentId is { } incident)
        {
            JudgeDistance(view, incident, flags);
            return;
        }
        var alone = _views[suspect];
        if (entry.Kind == AuditKinds.UnmaskedView)
            Raise(flags, MisuseRules.UnmaskedWithoutIncident, suspect, view, [view], at, $"{suspect} viewed camera {entry.CameraId} unmasked without an incident");

        var inWindow = alone.Where(v => v.Entry.OccurredAt > at - options.ViewWindow).ToList();
        if (options.IsUnusualHour(at))
        {
            var unusual = inWindow.Where(v => options.IsUnusualHour(v.Entry.OccurredAt)).ToList();
            if (unusual.Count >= options.UnusualHoursViews)
                Raise(flags, MisuseRules.UnusualHours, suspect, view, unusual, at,
                    $"{suspect} made {unusual.Count} views without an incident at unusual hours ({options.UnusualHoursStart:00}:00-{options.UnusualHoursEnd:00}:00 {options.TimeZone})");
        }

        var distinct = inWindow.Select(v => v.Entry.CameraId).OfType<string>().Distinct(StringComparer.Ordinal).Count();
        if (distinct >= options.DistinctCameras)
            Raise(flags, MisuseRules.ManyCameras, suspect, view, inWindow, at, $"{suspect} viewed {distinct} distinct cameras without an incident within {options.ViewWindow}");

        if (entry.CameraId is { } camera)
        {
            var place = places.Camera(camera);
            var here = alone.Where(v => v.Entry.OccurredAt > at - options.RepeatedViewsWindow && v.Entry.CameraId is { } other && SamePlace(camera, place, other)).ToList();
            if (here.Count >= options.RepeatedViews)
                Raise(flags, MisuseRules.RepeatedViews, suspect, view, here, at,
                    $"{suspect} viewed camera {camera} or cameras within {options.PlaceRadiusMeters:0} m of it {here.Count} times without an incident within {options.RepeatedViewsWindow}");
        }
    }

    private bool SamePlace(string camera, GeoPoint? place, string other)
    {
        if (other == camera) return true;
        return place is { } p && places.Camera(other) is { } q && GeoMath.DistanceMeters(p, q) <= options.PlaceRadiusMeters;
    }

    private void JudgeDistance(AuditRecord view, string incident, List<MisuseFlag> flags)
    {
        if (view.Entry.CameraId is not { } camera || places.Camera(camera) is not { } cameraAt || places.Incident(incident) is not { } incidentAt) return;
        var meters = GeoMath.DistanceMeters(cameraAt, incidentAt);
        if (meters <= options.FarFromIncidentMeters) return;
        var suspect = Suspect(view.Entry);
        AuditRecord[] evidence = _opens.TryGetValue(incident, out var open) ? [open, view] : [view];
        Raise(flags, MisuseRules.FarFromIncident, $"{suspect}|{IncidentKey(incident)}", view, evidence, view.Entry.OccurredAt,
            $"{suspect} viewed camera {camera} under incident {incident}, {meters / 1000:0.0} km from the incident (more than {options.FarFromIncidentMeters / 1000:0.0} km)");
    }

    private void JudgeDenial(AuditRecord denial, List<MisuseFlag> flags)
    {
        var suspect = Suspect(denial.Entry);
        var at = denial.Entry.OccurredAt;
        // A caller refused thousands of times a minute (a misconfigured client, or a probe) costs a look at the newest
        // few, not its whole window per refusal; the flag's evidence is the refusals that made the burst.
        if (IsQuiet(MisuseRules.DeniedBurst, suspect, at)) return;
        var denials = _denials[suspect];
        var first = denials.Count;
        while (first > 0 && denials.Count - first < options.DeniedBurst && denials[first - 1].Entry.OccurredAt > at - options.DeniedBurstWindow) first--;
        if (denials.Count - first >= options.DeniedBurst)
            Raise(flags, MisuseRules.DeniedBurst, suspect, denial, denials.GetRange(first, denials.Count - first), at,
                $"{suspect} was denied {options.DeniedBurst} times within {options.DeniedBurstWindow}");
    }

    private void JudgeClose(AuditRecord close, string incident, List<MisuseFlag> flags)
    {
        if (!_opens.TryGetValue(incident, out var open) || open.Entry.Reason != PersonOpened) return;
        var lasted = close.Entry.OccurredAt - open.Entry.OccurredAt;
        var views = (_incidentViews.GetValueOrDefault(incident) ?? []).Where(v => v.Seq < close.Seq).ToList();
        if (lasted > options.QuickCloseWithin || views.Count == 0) return;
        Raise(flags, MisuseRules.QuickClose, IncidentKey(incident), open, [open, .. views, close], close.Entry.OccurredAt,
            $"{Suspect(open.Entry)} opened incident {incident}, which was closed after {lasted:hh\\:mm\\:ss} with {views.Count} view(s) in between");
    }

    /// <summary>One flag per district the evidence concerns, unless the rule is quiet for this key (it fired within the cooldown).</summary>
    private bool IsQuiet(string rule, string key, DateTimeOffset at) => _quietUntil.TryGetValue((rule, key), out var quiet) && at < quiet;

    private void Raise(List<MisuseFlag> flags, string rule, string key, AuditRecord subject, IReadOnlyList<AuditRecord> evidence, DateTimeOffset at, string summary)
    {
        if (IsQuiet(rule, key, at)) return;
        _quietUntil[(rule, key)] = at + options.FlagCooldown;
        var byDistrict = evidence.GroupBy(e => e.Entry.DistrictCode).OrderBy(g => g.Key, StringComparer.Ordinal).ToList();
        foreach (var district in byDistrict)
        {
            var seqs = district.Select(e => e.Seq).Distinct().Order().ToArray();
            var scoped = byDistrict.Count > 1 ? $"{summary} ({seqs.Length} of the {evidence.Count} entries concern district {district.Key ?? "none"})" : summary;
            flags.Add(new MisuseFlag(FlagId(rule, key, district.Key, subject.Seq), rule, district.Key, Suspect(subject.Entry), subject.Entry.AgencyId, at, scoped, seqs, key));
        }
    }

    private static string FlagId(string rule, string key, string? district, long seq) =>
        "flag-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', rule, key, district ?? "", seq.ToString(CultureInfo.InvariantCulture)))))[..20];

    /// <summary>Each kind of entry is kept only as long as a rule that counts it looks back.</summary>
    private void Forget(DateTimeOffset now)
    {
        // Entries arrive in seq order, which is time order but for the odd back-dated one: trimming from the front costs
        // what it removes, not the whole window every tick. A back-dated straggler stays a little longer; every rule
        // filters its window by time anyway.
        static void Trim(Dictionary<string, List<AuditRecord>> lists, DateTimeOffset before)
        {
            foreach (var (key, list) in lists.ToList())
            {
                var stale = 0;
                while (stale < list.Count && list[stale].Entry.OccurredAt < before) stale++;
                list.RemoveRange(0, stale);
                if (list.Count == 0) lists.Remove(key);
            }
        }
        var incidentHorizon = now - new[] { options.UnconfirmedAfter, options.QuickCloseWithin }.Max();
        Trim(_views, now - new[] { options.ViewWindow, options.RepeatedViewsWindow }.Max());
        Trim(_denials, now - options.DeniedBurstWindow);
        Trim(_incidentViews, incidentHorizon);
        foreach (var (incident, open) in _opens.ToList())
            if (open.Entry.OccurredAt < incidentHorizon && !_awaitingConfirmation.ContainsKey(incident)) _opens.Remove(incident);
    }

    private static void Add(Dictionary<string, List<AuditRecord>> lists, string key, AuditRecord record)
    {
        if (!lists.TryGetValue(key, out var list)) lists[key] = list = [];
        list.Add(record);
    }

    public static bool IsView(AuditEntry entry) => ViewKinds.Contains(entry.Kind) && entry.Outcome != "deny";

    private static string Suspect(AuditEntry entry) => entry.Actor ?? entry.AgencyId ?? "unknown";

    private static string IncidentKey(string incident) => "incident:" + incident;

    private static string IncidentOf(string key) => key["incident:".Length..];
}
