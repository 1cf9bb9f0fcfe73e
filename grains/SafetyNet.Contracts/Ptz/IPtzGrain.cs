using SafetyNet.Contracts.Sessions;

namespace SafetyNet.Contracts.Ptz;

/// <summary>
/// One camera's PTZ control (keyed by camera id): the lock (one holder at a time, priority preemption, a short lifetime
/// renewed by commands, ending with its lease), the commands sent to the camera's ONVIF device, and the return home when a
/// lock ends. Every request needs the caller's own open lease on the camera carrying the PTZ right, and is audited.
/// </summary>
[Alias("ptz-grain")]
public interface IPtzGrain : IGrainWithStringKey
{
    [Alias("view")]
    Task<PtzOutcome> GetAsync(OperatorPrincipal caller);

    [Alias("lock")]
    Task<PtzOutcome> LockAsync(OperatorPrincipal caller);

    [Alias("unlock")]
    Task<PtzOutcome> ReleaseAsync(OperatorPrincipal caller);

    [Alias("command")]
    Task<PtzOutcome> CommandAsync(OperatorPrincipal caller, PtzCommand command);
}
