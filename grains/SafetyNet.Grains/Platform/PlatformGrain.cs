using SafetyNet.Contracts.Platform;
using SafetyNet.Grains.Persistence;

namespace SafetyNet.Grains.Platform;

[GenerateSerializer, Alias("platform-state")]
public sealed class PlatformState
{
    [Id(0)] public DateTimeOffset? SeededAt { get; set; }
    [Id(1)] public int SeededCameras { get; set; }
}

public sealed class PlatformGrain([PersistentState("platform", StorageNames.Default)] IPersistentState<PlatformState> state) : Grain, IPlatformGrain
{
    public ValueTask<DateTimeOffset?> GetSeededAtAsync() => ValueTask.FromResult(state.State.SeededAt);

    public async Task MarkSeededAsync(DateTimeOffset at, int cameras)
    {
        state.State.SeededAt = at;
        state.State.SeededCameras = cameras;
        await state.WriteStateAsync();
    }
}
