namespace SafetyNet.Contracts.Errors;

/// <summary>What kind of rule a request broke; the API maps each to its HTTP status.</summary>
public enum DomainErrorKind
{
    Invalid,
    NotFound,
    Forbidden,
    Conflict,

    /// <summary>A per-camera capacity is exhausted (HTTP 429).</summary>
    TooMany,

    /// <summary>A shared resource (a district's uplink) is saturated (HTTP 503).</summary>
    Unavailable,

    /// <summary>The audit ledger could not record the action, so it was not performed (HTTP 503).</summary>
    LedgerUnavailable,

    /// <summary>The node knows its database cannot be reached, so a request that needs the database is refused at once (HTTP 503).</summary>
    DatabaseUnreachable,

    /// <summary>A stored record failed its seal (forged, altered, moved or unsealed), so the node will not act on it (HTTP 503).</summary>
    StateRefused,
}

/// <summary>A request that a grain refused for a reason the caller can act on. Never a bug.</summary>
[GenerateSerializer, Alias("domain-exception")]
public sealed class DomainException(DomainErrorKind kind, string message) : Exception(message)
{
    [Id(0)]
    public DomainErrorKind Kind { get; } = kind;

    /// <summary>A code the caller's console can word for its operator (<see cref="RefusalReasons"/>), where the message alone would not do.</summary>
    [Id(1)]
    public string? Reason { get; init; }

    public static DomainException NotFound(string what) => new(DomainErrorKind.NotFound, what);

    public static DomainException Invalid(string why) => new(DomainErrorKind.Invalid, why);

    public static DomainException Forbidden(string why) => new(DomainErrorKind.Forbidden, why);

    public static DomainException Conflict(string why, string? reason = null) => new(DomainErrorKind.Conflict, why) { Reason = reason };

    public static DomainException TooMany(string why) => new(DomainErrorKind.TooMany, why);

    public static DomainException Unavailable(string why, string? reason = null) => new(DomainErrorKind.Unavailable, why) { Reason = reason };

    public static DomainException LedgerUnavailable(string why) => new(DomainErrorKind.LedgerUnavailable, why);

    public static DomainException DatabaseUnreachable(string why) => new(DomainErrorKind.DatabaseUnreachable, why);

    public static DomainException StateRefused(string why) => new(DomainErrorKind.StateRefused, why);
}
