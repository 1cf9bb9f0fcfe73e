namespace SafetyNet.Grains.Ptz;

/// <summary>
/// An ONVIF request that failed: the device refused it (a SOAP Fault, with <see cref="Subcode"/> such as ter:NotAuthorized),
/// answered something unreadable, or did not answer in time. The message names the operation, never a credential.
/// </summary>
public sealed class OnvifException(string message, string? subcode = null, Exception? inner = null) : Exception(message, inner)
{
    public string? Subcode { get; } = subcode;

    /// <summary>A code a console words for its operator (<see cref="Contracts.Errors.RefusalReasons"/>): the node refused the connection for the camera's certificate.</summary>
    public string? Reason { get; init; }

    public bool NotAuthorized => Subcode?.EndsWith("NotAuthorized", StringComparison.Ordinal) == true;

    public bool NoSuchToken => Subcode?.EndsWith("NoToken", StringComparison.Ordinal) == true;
}
