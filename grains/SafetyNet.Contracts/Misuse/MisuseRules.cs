namespace SafetyNet.Contracts.Misuse;

/// <summary>The names of the misuse rules, as flags and the ledger's misuse-flag entries (Reason) carry them.</summary>
public static class MisuseRules
{
    public const string UnusualHours = "unusual-hours";
    public const string ManyCameras = "many-cameras";
    public const string RepeatedViews = "repeated-views";
    public const string UnconfirmedIncident = "unconfirmed-incident";
    public const string QuickClose = "quick-close";
    public const string DeniedBurst = "denied-burst";
    public const string FarFromIncident = "far-from-incident";
    public const string UnmaskedWithoutIncident = "unmasked-without-incident";

    public static readonly string[] All = [UnusualHours, ManyCameras, RepeatedViews, UnconfirmedIncident, QuickClose, DeniedBurst, FarFromIncident, UnmaskedWithoutIncident];
}
