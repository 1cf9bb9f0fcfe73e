using SafetyNet.Contracts;
using SafetyNet.Contracts.Errors;
using SafetyNet.Contracts.Geo;
using SafetyNet.Contracts.Incidents;
using SafetyNet.Contracts.Notifications;

namespace SafetyNet.Grains.Incidents;

/// <summary>
/// An SOS incident follows its person: each reported position joins the trail, and the newest one, once it is far enough
/// from where the incident stands, moves the incident (cameras and local responders follow, as on any move). The person's
/// category and trail go only to the agencies that share them (<see cref="IncidentView.SharesPersonWith"/>).
/// </summary>
public sealed partial class IncidentGrain
{
    /// <summary>Closer than this to the incident's place, a point joins the trail without re-selecting cameras.</summary>
    public const double TrailMoveThresholdMeters = 25;

    public const int MaxTrailPoints = 2000;
    public const double MaxTrailAccuracyMeters = 5000;
    private static readonly TimeSpan TrailClockSkew = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan TrailBeforeOpening = TimeSpan.FromHours(1);

    public async Task<IncidentView> AppendTrailAsync(TrailPoint point)
    {
        EnsureOpen();
        if (S.Request!.Type != IncidentType.VulnerableSos)
            throw DomainException.Invalid($"Only vulnerable-sos incidents follow a person's trail; this one is {EnumNames<IncidentType>.NameOf(S.Request.Type)}.");
        LocateInRegion(point.Position);
        if (point.AccuracyMeters is { } accuracy && (!double.IsFinite(accuracy) || accuracy < 0 || accuracy > MaxTrailAccuracyMeters))
            throw DomainException.Invalid($"accuracyMeters must be in [0, {MaxTrailAccuracyMeters}].");
        var now = clock.GetUtcNow();
        if (point.At > now + TrailClockSkew) throw DomainException.Invalid("The position's time lies in the future.");
        if (point.At < S.OpenedAt - TrailBeforeOpening) throw DomainException.Invalid("The position's time is more than an hour before the incident was opened.");
        if (S.Trail.Count >= MaxTrailPoints) throw DomainException.Conflict($"The trail holds its maximum of {MaxTrailPoints} points; open a new incident to follow further.");

        var newest = S.Trail.Count == 0 ? point.At >= S.OpenedAt : point.At >= S.Trail[^1].At;
        S.Trail.Insert(newest ? S.Trail.Count : InsertionIndex(point.At), point);
        await state.WriteStateAsync();
        if (newest && GeoMath.DistanceMeters(S.Position, point.Position) > TrailMoveThresholdMeters)
            return await MoveAsync(point.Position, point.ReportedBy);
        var view = await ViewAsync();
        await PublishAsync(ViewEvents(DashboardEventNames.IncidentUpdated, view));
        return view;
    }

    private int InsertionIndex(DateTimeOffset at)
    {
        var index = S.Trail.FindIndex(p => p.At > at);
        return index < 0 ? S.Trail.Count : index;
    }

    /// <summary>The view with the person's details, for an SOS incident; the opening position joins the trail at the opening time.</summary>
    private IncidentView WithPerson(IncidentView view) => S.Request!.Type != IncidentType.VulnerableSos ? view : view with
    {
        PersonCategory = S.Request.PersonCategory,
        Trail = S.Trail.Prepend(new TrailPoint(S.Request.Position, null, S.OpenedAt, OpenedByActor)).OrderBy(p => p.At).ToArray(),
    };

    /// <summary>The incident's own event, in two copies when part of its audience may not see the person's details.</summary>
    private DashboardEvent[] ViewEvents(string name, IncidentView view)
    {
        var audience = Audience();
        if (!view.HasPersonDetails) return [ViewEvent(name, audience, view)];
        var sharing = audience.Where(view.SharesPersonWith).ToArray();
        var others = audience.Except(sharing).ToArray();
        return others.Length == 0 ? [ViewEvent(name, sharing, view)] : [ViewEvent(name, sharing, view), ViewEvent(name, others, view.WithoutPerson())];
    }
}
