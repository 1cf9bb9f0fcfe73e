using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SafetyNet.Contracts;
using SafetyNet.Contracts.Agencies;
using SafetyNet.Contracts.Audit;
using SafetyNet.Contracts.Errors;
using SafetyNet.Contracts.Incidents;
using SafetyNet.Contracts.Notifications;
using SafetyNet.Grains.Agencies;
using SafetyNet.Grains.Audit;
using SafetyNet.Grains.Configuration;
using SafetyNet.Grains.Persistence;

namespace SafetyNet.Grains.Incidents;

[GenerateSerializer, Alias("alert-notice-board-state")]
public sealed class AlertNoticeBoardState
{
    [Id(0)] public List<AlertNotice> Notices { get; set; } = [];

    /// <summary>Notices taken down, newest first, so that a message sent again acts once.</summary>
    [Id(1)] public List<AlertNotice> Ended { get; set; } = [];
}

/// <summary>
/// An agency's whole-area alerts. Each post, update and end is written to the ledger and announced to the dashboards of
/// every agency of its districts (<see cref="AlertNoticeAudience"/>); a dashboard that missed one reads the boards again
/// when it resyncs.
/// </summary>
public sealed class AlertNoticeBoardGrain(
    [PersistentState("alert-notices", StorageNames.Default)] IPersistentState<AlertNoticeBoardState> state,
    IOptions<IncidentOptions> options,
    AgencyDirectoryCache agencyDirectory,
    IAuditLedger audit,
    TimeProvider clock,
    ILogger<AlertNoticeBoardGrain> logger) : Grain, IAlertNoticeBoardGrain
{
    /// <summary>A gateway gone wrong cannot grow the board without bound; the oldest notice gives way.</summary>
    public const int MaxNotices = 50;

    private const int MaxEnded = 100;

    /// <summary>The identifiers a notice is found by: its alert's and the latest updates' (a later message references one of those).</summary>
    private const int MaxMessages = 100;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private string AgencyId => this.GetPrimaryKeyString();

    public async Task<AlertNotice> PostAsync(AlertNotice notice, IReadOnlyList<string> references, IncidentActor poster, string? justification)
    {
        if (Known(notice.Identifier) is { } repeated) return repeated;
        var actor = poster.Actor;
        // Only an agency that may open a disaster incident posts a disaster alert, even one that opens nothing.
        var agency = (await agencyDirectory.GetAsync([AgencyId])).GetValueOrDefault(AgencyId);
        if (IncidentAuthority.RefuseOpening(agency, AgencyId, IncidentType.DisasterResponse, options.Value.For(IncidentType.DisasterResponse)) is { } refusal)
        {
            await audit.AppendAsync(new AuditEntry(clock.GetUtcNow(), AuditKinds.AlertNotice, "deny", refusal, AgencyId: AgencyId, Actor: actor,
                Details: JsonSerializer.Serialize(new { identifier = notice.Identifier, area = notice.Area }, Json)));
            throw DomainException.Forbidden(refusal);
        }
        if (RefuseJustification(poster, justification) is { } missing) throw DomainException.Invalid(missing);
        var replaced = Referenced(references);
        var posted = notice with
        {
            Messages = Bounded([.. replaced?.Messages ?? [], notice.Identifier]),
            PostedBy = AgencyId,
            PostedByName = agency?.Name,
            PostedByKind = agency is null ? null : EnumNames<AgencyKind>.NameOf(agency.Kind),
        };
        var notices = Current().Where(n => n != replaced).Prepend(posted).Take(MaxNotices).ToList();
        await SaveAsync(notices, replaced is null ? "posted" : "updated", "whole-area", posted, actor, justification);
        await AnnounceAsync(DashboardEventNames.AlertNoticePosted, posted);
        return posted;
    }

    public async Task<AlertNotice?> EndAsync(string identifier, IReadOnlyList<string> references, string reason, string actor)
    {
        if (state.State.Ended.FirstOrDefault(n => n.Messages.Contains(identifier)) is { } repeated) return repeated;
        if (Referenced(references) is not { } shown) return null;
        var ended = shown with { Messages = Bounded([.. shown.Messages, identifier]), EndedAt = clock.GetUtcNow() };
        state.State.Ended = [.. state.State.Ended.Prepend(ended).Take(MaxEnded)];
        await SaveAsync([.. Current().Where(n => n != shown)], "ended", reason, ended, actor);
        await AnnounceAsync(DashboardEventNames.AlertNoticeEnded, ended);
        return ended;
    }

    public Task<IReadOnlyList<AlertNotice>> ListAsync() => Task.FromResult<IReadOnlyList<AlertNotice>>(Current());

    private List<AlertNotice> Current()
    {
        var now = clock.GetUtcNow();
        return [.. state.State.Notices.Where(n => n.ExpiresAt > now).Select(n => n with { PostedBy = AgencyId })];
    }

    private static string[] Bounded(string[] messages) => messages.Length <= MaxMessages ? messages : [messages[0], .. messages[^(MaxMessages - 1)..]];

    private AlertNotice? Known(string identifier) =>
        Current().FirstOrDefault(n => n.Messages.Contains(identifier)) ?? state.State.Ended.FirstOrDefault(n => n.Messages.Contains(identifier));

    private AlertNotice? Referenced(IReadOnlyList<string> references) => Current().FirstOrDefault(n => n.Messages.Any(references.Contains));

    private async Task SaveAsync(List<AlertNotice> notices, string outcome, string reason, AlertNotice notice, string actor, string? justification = null)
    {
        state.State.Notices = notices;
        await state.WriteStateAsync();
        await audit.AppendAsync(new AuditEntry(clock.GetUtcNow(), AuditKinds.AlertNotice, outcome, reason, AgencyId: AgencyId, Actor: actor,
            Details: JsonSerializer.Serialize(new { identifier = notice.Identifier, area = notice.Area, messages = notice.Messages, justification }, Json)));
    }

    /// <summary>As for an incident a person opens: the gateway need not say why, a person must, within the same bound.</summary>
    private static string? RefuseJustification(IncidentActor poster, string? justification)
    {
        if (justification is { Length: > IncidentAuthority.MaxJustificationLength })
            return $"justification is at most {IncidentAuthority.MaxJustificationLength} characters.";
        return poster.IsPerson && string.IsNullOrWhiteSpace(justification)
            ? "A notice posted by a person (operator or supervisor) is shown to every agency of your districts: add ?justification= saying why."
            : null;
    }

    /// <summary>The notice is stored before it is announced: a lost announcement costs a page its next resync, not the notice.</summary>
    private async Task AnnounceAsync(string name, AlertNotice notice)
    {
        try
        {
            var audience = AlertNoticeAudience.Shown(await agencyDirectory.GetAsync(), AgencyId);
            await GrainFactory.GetGrain<IEventPublisherGrain>(0).PublishAsync(
                [new DashboardEvent(name, null, null, audience, JsonSerializer.Serialize(notice, Json), clock.GetUtcNow())]);
        }
        catch (Exception ex) when (ex is OrleansException or TimeoutException)
        {
            logger.LogWarning(ex, "The alert notice {Identifier} of agency {Agency} was stored but not announced", notice.Identifier, AgencyId);
        }
    }
}
