using System.Text.Json;
using SafetyNet.Contracts.Notifications;

namespace SafetyNet.Bench.Incidents.WallScreens;

/// <summary>The kinds of record in SignalR's hub protocol that a wall screen acts on.</summary>
public enum HubMessageType
{
    Unknown = 0,
    Invocation = 1,
    Completion = 3,
    Ping = 6,
    Close = 7,
}

/// <summary>What a record says about the connection: its kind, and for a completion or a close, its invocation and error.</summary>
public readonly record struct HubRecord(HubMessageType Type, string? InvocationId, string? Error);

/// <summary>
/// Reads one record of SignalR's JSON hub protocol (without its 0x1E), in any property order. An invocation of the batch
/// target is read event by event: each event's name, and of its payload only <c>id</c>, <c>externalReference</c> and
/// <c>sequence</c>; everything else is skipped.
/// </summary>
public static class HubRecordReader
{
    /// <summary>The server's refusal in a handshake response, or null when it accepted.</summary>
    public static string? HandshakeError(ReadOnlySpan<byte> record)
    {
        var reader = new Utf8JsonReader(record);
        StartObject(ref reader);
        string? error = null;
        while (NextProperty(ref reader))
        {
            if (reader.ValueTextEquals("error"u8)) error = ReadString(ref reader);
            else SkipValue(ref reader);
        }
        return error;
    }

    public static HubRecord Read(ReadOnlySpan<byte> record, string batchTarget, Action<WallScreenEvent> onEvent)
    {
        var reader = new Utf8JsonReader(record);
        StartObject(ref reader);
        var type = 0;
        var isBatch = false;
        string? invocationId = null, error = null;
        var arguments = default(Utf8JsonReader);
        var argumentsAhead = false;
        while (NextProperty(ref reader))
        {
            if (reader.ValueTextEquals("type"u8))
            {
                reader.Read();
                type = reader.GetInt32();
            }
            else if (reader.ValueTextEquals("target"u8))
            {
                reader.Read();
                isBatch = reader.TokenType == JsonTokenType.String && reader.ValueTextEquals(batchTarget);
            }
            else if (reader.ValueTextEquals("invocationId"u8)) invocationId = ReadString(ref reader);
            else if (reader.ValueTextEquals("error"u8)) error = ReadString(ref reader);
            else if (reader.ValueTextEquals("arguments"u8))
            {
                reader.Read();
                // The server writes type and target first, so a batch is read in the one pass; arguments that come
                // earlier are read once the record's end shows what they belong to.
                if (type == (int)HubMessageType.Invocation && isBatch) ReadBatch(ref reader, onEvent);
                else
                {
                    arguments = reader;
                    argumentsAhead = true;
                    reader.Skip();
                }
            }
            else SkipValue(ref reader);
        }
        if (argumentsAhead && type == (int)HubMessageType.Invocation && isBatch) ReadBatch(ref arguments, onEvent);
        return new HubRecord(Enum.IsDefined((HubMessageType)type) ? (HubMessageType)type : HubMessageType.Unknown, invocationId, error);
    }

    /// <summary>
    /// <paramref name="reader"/> is on the arguments' <c>[</c>; the first argument is the batch: [{name, payload}, …]. Leaves
    /// the reader on the arguments' <c>]</c>.
    /// </summary>
    private static void ReadBatch(ref Utf8JsonReader reader, Action<WallScreenEvent> onEvent)
    {
        if (reader.TokenType != JsonTokenType.StartArray || !reader.Read() || reader.TokenType != JsonTokenType.StartArray)
            throw new JsonException("A batch's first argument must be an array of events.");
        while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
        {
            string? name = null;
            var payload = default(Utf8JsonReader);
            var payloadAhead = false;
            while (NextProperty(ref reader))
            {
                if (reader.ValueTextEquals("name"u8))
                {
                    reader.Read();
                    name = EventName(ref reader);
                }
                else if (reader.ValueTextEquals("payload"u8))
                {
                    reader.Read();
                    if (name is not null) onEvent(ReadEvent(name, ref reader));
                    else
                    {
                        payload = reader;
                        payloadAhead = true;
                        reader.Skip();
                    }
                }
                else SkipValue(ref reader);
            }
            if (payloadAhead && name is not null) onEvent(ReadEvent(name, ref payload));
        }
        if (reader.TokenType != JsonTokenType.EndArray) throw new JsonException("A batch's events must be JSON objects.");
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray) reader.Skip();
    }

    private static WallScreenEvent ReadEvent(string name, ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return new WallScreenEvent(name, null, null, null);
        }
        string? id = null, reference = null;
        EventSequence? sequence = null;
        while (NextProperty(ref reader))
        {
            if (reader.ValueTextEquals("id"u8)) id = ReadString(ref reader);
            else if (reader.ValueTextEquals("externalReference"u8)) reference = ReadString(ref reader);
            else if (reader.ValueTextEquals("sequence"u8)) sequence = ReadSequence(ref reader);
            else SkipValue(ref reader);
        }
        return new WallScreenEvent(name, id, reference, sequence);
    }

    private static EventSequence? ReadSequence(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return null;
        }
        string? stream = null, epoch = null;
        long? number = null;
        while (NextProperty(ref reader))
        {
            if (reader.ValueTextEquals("stream"u8)) stream = ReadString(ref reader);
            else if (reader.ValueTextEquals("epoch"u8)) epoch = ReadString(ref reader);
            else if (reader.ValueTextEquals("number"u8))
            {
                reader.Read();
                number = reader.TokenType == JsonTokenType.Number ? reader.GetInt64() : null;
            }
            else SkipValue(ref reader);
        }
        return stream is not null && epoch is not null && number is not null ? new EventSequence(stream, epoch, number.Value) : null;
    }

    /// <summary>The names the bench counts are shared constants, so a thousand screens do not each allocate them per event.</summary>
    private static string? EventName(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.String) return null;
        foreach (var known in KnownNames)
            if (reader.ValueTextEquals(known)) return known;
        return reader.GetString();
    }

    private static readonly string[] KnownNames =
        [DashboardEventNames.IncidentOpened, DashboardEventNames.AccessGranted, DashboardEventNames.SequencePosition];

    private static void StartObject(ref Utf8JsonReader reader)
    {
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) throw new JsonException("A hub protocol record must be a JSON object.");
    }

    /// <summary>Moves to the next property name of the current object; false at its end.</summary>
    private static bool NextProperty(ref Utf8JsonReader reader) => reader.Read() && reader.TokenType == JsonTokenType.PropertyName;

    private static string? ReadString(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.String) return reader.GetString();
        reader.Skip();
        return null;
    }

    private static void SkipValue(ref Utf8JsonReader reader)
    {
        reader.Read();
        reader.Skip();
    }
}
