namespace SafetyNet.Contracts.Incidents;

/// <summary>
/// One per agency (key: agency id): the whole-area CAP alerts its gateway sent, shown until cancelled or expired. Every
/// agency that answers for some of its districts is shown them (<see cref="IAlertNoticesGrain"/>); only this agency updates
/// or ends them.
/// </summary>
[Alias("alert-notice-board")]
public interface IAlertNoticeBoardGrain : IGrainWithStringKey
{
    /// <summary>
    /// Posts a whole-area alert, or an update of a notice it references (which takes the notice's place). A message
    /// already posted returns the notice as it is. A person (not the gateway) must say why, since every agency of its
    /// districts is shown the notice.
    /// </summary>
    [Alias("post")]
    Task<AlertNotice> PostAsync(AlertNotice notice, IReadOnlyList<string> references, IncidentActor poster, string? justification);

    /// <summary>Takes down the notice a message references (a cancel, an all clear, an update that now names places); null when none does.</summary>
    [Alias("end")]
    Task<AlertNotice?> EndAsync(string identifier, IReadOnlyList<string> references, string reason, string actor);

    /// <summary>The notices still shown, newest first, each naming this agency as its sender.</summary>
    [Alias("list")]
    Task<IReadOnlyList<AlertNotice>> ListAsync();
}
