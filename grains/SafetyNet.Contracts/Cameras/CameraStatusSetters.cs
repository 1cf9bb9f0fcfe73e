namespace SafetyNet.Contracts.Cameras;

/// <summary>Who set a camera's status, as <see cref="CameraStatusReport.SetBy"/> names it (the ledger keeps the person).</summary>
public static class CameraStatusSetters
{
    /// <summary>The node that relays the camera: it failed again and again, or came back (it is then tried again by itself).</summary>
    public const string Relay = "relay";

    /// <summary>A person: its district's admin or a platform admin (PATCH, or a check they asked for); the ledger names who.</summary>
    public const string Admin = "admin";

    /// <summary>A camera import that carried the status.</summary>
    public const string Import = "import";

    /// <summary>The node withheld a masked camera whose masks record was lost, until its masks are set again.</summary>
    public const string MasksGuard = "masks-guard";

    /// <summary>The node's stream policy refused the camera's stored URL, until its district corrects it.</summary>
    public const string StreamUrlPolicy = "stream-url-policy";

    private static readonly HashSet<string> Systems = [Relay, Import, MasksGuard, StreamUrlPolicy];

    /// <summary>The setter an actor recorded on the camera stands for: a system's own name, else (a person) an admin.</summary>
    public static string? Of(string? actor) => actor is null ? null : Systems.Contains(actor) ? actor : Admin;
}
