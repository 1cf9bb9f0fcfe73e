namespace SafetyNet.Contracts.Platform;

/// <summary>Facts about the deployment as a whole (key: 0), e.g. whether the demo city was seeded.</summary>
[Alias("platform")]
public interface IPlatformGrain : IGrainWithIntegerKey
{
    [Alias("seeded-at")]
    ValueTask<DateTimeOffset?> GetSeededAtAsync();

    [Alias("mark-seeded")]
    Task MarkSeededAsync(DateTimeOffset at, int cameras);
}
