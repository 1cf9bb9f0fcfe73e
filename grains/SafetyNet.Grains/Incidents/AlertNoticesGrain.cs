using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using SafetyNet.Contracts.Incidents;
using SafetyNet.Grains.Agencies;
using SafetyNet.Grains.Configuration;

namespace SafetyNet.Grains.Incidents;

/// <summary>
/// Reads the boards of the agencies that may post a disaster alert now and answer for some of the viewer's districts: an
/// agency that lost that right no longer has its notices shown, as it could no longer post them.
/// </summary>
[StatelessWorker, Reentrant]
public sealed class AlertNoticesGrain(IOptions<IncidentOptions> options, AgencyDirectoryCache agencyDirectory) : Grain, IAlertNoticesGrain
{
    public async Task<IReadOnlyList<AlertNotice>> ListAsync(string viewerAgencyId)
    {
        var senders = AlertNoticeAudience.SendersFor(await agencyDirectory.GetAsync(), viewerAgencyId, options.Value);
        var boards = await Task.WhenAll(senders.Select(agency => GrainFactory.GetGrain<IAlertNoticeBoardGrain>(agency).ListAsync()));
        return [.. boards.SelectMany(notices => notices).OrderByDescending(notice => notice.ReceivedAt)];
    }
}
