namespace SafetyNet.Contracts.Incidents;

/// <summary>Every agency's whole-area CAP alerts, as each situation room is shown them (a stateless reader of the agencies' boards).</summary>
[Alias("alert-notices")]
public interface IAlertNoticesGrain : IGrainWithIntegerKey
{
    /// <summary>
    /// The notices still shown on the boards of the agencies that may send disaster alerts and answer for some of the
    /// viewer agency's districts (its own board included), newest first.
    /// </summary>
    [Alias("list")]
    Task<IReadOnlyList<AlertNotice>> ListAsync(string viewerAgencyId);
}
