using System.Text.Json;
using SafetyNet.Contracts.Notifications;

namespace SafetyNet.Grains.Notifications;

/// <summary>
/// Numbers one stream's events 1, 2, 3 … within an epoch that is new for every sequencer activation, and writes the number
/// into the payload (and the card, if any) once (<c>"sequence": {stream, epoch, number}</c> first), so nodes forward the
/// bytes untouched.
/// </summary>
public sealed class StreamSequence(string stream, TimeProvider clock)
{
    public static readonly TimeSpan HeartbeatInterval = TimeSpan.FromSeconds(1);
    private DateTimeOffset _lastHeartbeat = DateTimeOffset.MinValue;

    public string Stream { get; } = stream;

    public string Epoch { get; } = $"{clock.GetUtcNow().ToUnixTimeMilliseconds():x}-{Guid.NewGuid():N}"[..24];

    public long Last { get; private set; }

    public DashboardEvent Number(DashboardEvent e)
    {
        Last++;
        return e with
        {
            Sequence = Last, Epoch = Epoch, PayloadJson = Stamp(e.PayloadJson, Last), CardJson = e.CardJson is null ? null : Stamp(e.CardJson, Last),
        };
    }

    /// <summary>The position now, to the stream's audience, unless one went out less than <see cref="HeartbeatInterval"/> ago.</summary>
    public DashboardEvent? HeartbeatIfDue()
    {
        var now = clock.GetUtcNow();
        if (now - _lastHeartbeat < HeartbeatInterval) return null;
        _lastHeartbeat = now;
        return EventStreams.Addressed(Stream, DashboardEventNames.SequencePosition, Stamp("{}", Last), now) with { Sequence = Last, Epoch = Epoch };
    }

    private string Stamp(string payloadJson, long number)
    {
        var stamp = $"\"sequence\":{{\"stream\":{JsonSerializer.Serialize(Stream)},\"epoch\":\"{Epoch}\",\"number\":{number}}}";
        var trimmed = payloadJson.AsSpan().TrimStart();
        if (!trimmed.StartsWith("{")) throw new ArgumentException("A dashboard event's payload must be a JSON object.", nameof(payloadJson));
        var body = trimmed[1..].TrimStart();
        return body.StartsWith("}") ? $"{{{stamp}}}" : $"{{{stamp},{body}";
    }
}
