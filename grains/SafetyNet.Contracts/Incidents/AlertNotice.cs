namespace SafetyNet.Contracts.Incidents;

/// <summary>
/// A CAP alert for a whole city or province (heavy rain for all of Seoul), shown as a notice to every agency that answers
/// for some of the sender's districts: a police or fire room wants the city's warning as much as the disaster room whose
/// gateway sent it. It opens no camera access: access opens around places, not over a city.
/// </summary>
/// <param name="Identifier">The CAP identifier of the alert that posted it.</param>
/// <param name="Area">The area as the alert describes it ("서울특별시 전체").</param>
/// <param name="Messages">The identifiers of every message that reached the notice, by which a later update or cancel finds it.</param>
/// <param name="EndedAt">When a cancel, an all clear or an update naming places took it down; null while it is shown.</param>
/// <param name="PostedBy">The agency whose gateway sent it, which alone may update or end it.</param>
/// <param name="PostedByName">That agency's name and kind (<c>disaster-room</c>) when it posted, for the rooms shown the notice; null on notices stored before.</param>
[GenerateSerializer, Immutable, Alias("alert-notice")]
public sealed record AlertNotice(
    [property: Id(0)] string Identifier,
    [property: Id(1)] string Area,
    [property: Id(2)] string? Headline,
    [property: Id(3)] string? Event,
    [property: Id(4)] int Priority,
    [property: Id(5)] DateTimeOffset ReceivedAt,
    [property: Id(6)] DateTimeOffset ExpiresAt,
    [property: Id(7)] IReadOnlyList<string> Messages,
    [property: Id(8)] DateTimeOffset? EndedAt = null,
    [property: Id(9)] string? PostedBy = null,
    [property: Id(10)] string? PostedByName = null,
    [property: Id(11)] string? PostedByKind = null)
{
    /// <summary>How long a notice whose alert gives no expiry is shown, and the longest any is.</summary>
    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromHours(24);

    public static readonly TimeSpan MaxLifetime = TimeSpan.FromDays(7);
}
