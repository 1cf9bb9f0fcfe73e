namespace SafetyNet.Bench.Incidents.WallScreens;

/// <summary>
/// A wall screen's SignalR connection to <c>/hubs/operations</c>, as the fan-out bench drives it: subscribe to the agency's
/// batched incident cards (again after a gap), hear the batches.
/// </summary>
public interface IWallScreenClient : IAsyncDisposable
{
    /// <summary>Invokes <c>SubscribeIncidentCards</c> and waits for its completion.</summary>
    Task SubscribeAsync();
}

/// <summary>
/// Which client library the bench's wall screens use. <see cref="SignalR"/> is Microsoft's .NET client;
/// <see cref="Lean"/> speaks the same JSON hub protocol over a bare WebSocket and reads only the fields it needs, so that
/// a thousand screens on the node's own two cores take less of the CPU the node is measured on.
/// </summary>
public enum WallScreenClientKind
{
    SignalR,
    Lean,
}

public static class WallScreenClients
{
    public static Task<IWallScreenClient> ConnectAsync(WallScreenClientKind kind, Uri hub, string token, IWallScreenListener listener) => kind switch
    {
        WallScreenClientKind.SignalR => SignalRWallScreenClient.ConnectAsync(hub, token, listener),
        WallScreenClientKind.Lean => LeanWallScreenClient.ConnectAsync(hub, token, listener),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}
