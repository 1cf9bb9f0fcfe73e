using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using SafetyNet.Contracts.Notifications;

namespace SafetyNet.Bench.Incidents.WallScreens;

/// <summary>A wall screen on Microsoft's SignalR client (WebSockets, the JWT as its access token), binding only the fields the bench reads.</summary>
public sealed class SignalRWallScreenClient : IWallScreenClient
{
    private readonly HubConnection _connection;

    private SignalRWallScreenClient(HubConnection connection) => _connection = connection;

    public static async Task<IWallScreenClient> ConnectAsync(Uri hub, string token, IWallScreenListener listener)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(hub, HttpTransportType.WebSockets, o => o.AccessTokenProvider = () => Task.FromResult<string?>(token))
            .Build();
        connection.On<BatchedEvent[]>(DashboardEventNames.Batch, batch =>
        {
            var at = Stopwatch.GetTimestamp();
            foreach (var (name, payload) in batch) listener.OnEvent(new WallScreenEvent(name, payload.Id, payload.ExternalReference, payload.Sequence), at);
        });
        connection.Closed += _ =>
        {
            listener.OnClosed();
            return Task.CompletedTask;
        };
        await connection.StartAsync();
        return new SignalRWallScreenClient(connection);
    }

    public Task SubscribeAsync() => _connection.InvokeAsync<JsonElement>("SubscribeIncidentCards");

    public ValueTask DisposeAsync() => _connection.DisposeAsync();

    private sealed record BatchedEvent(string Name, EventFields Payload);

    /// <summary>The parser skips every other field.</summary>
    private sealed record EventFields(string? Id, string? ExternalReference, EventSequence? Sequence);
}
