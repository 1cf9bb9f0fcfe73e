using Orleans.Storage;

namespace SafetyNet.Grains.Persistence.Sealing;

/// <summary>A grain state record as stored: the sealed bytes, which the database provider writes and reads as they are.</summary>
public sealed record SealedPayload(byte[] Bytes);

/// <summary>
/// The grain storage's serializer: a <see cref="SealedPayload"/> is stored as its own bytes, and read back as whatever bytes
/// the record holds (a forged or unsealed one included, so that <see cref="SealedGrainStorage"/> can name it); anything
/// else, the records written before sealing, goes through the JSON serializer as before.
/// </summary>
public sealed class SealedPayloadSerializer(IGrainStorageSerializer json) : IGrainStorageSerializer
{
    public BinaryData Serialize<T>(T? input) => input is SealedPayload payload ? new BinaryData(payload.Bytes) : json.Serialize(input);

    public T? Deserialize<T>(BinaryData input) =>
        typeof(T) == typeof(SealedPayload) ? (T)(object)new SealedPayload(input.ToArray()) : json.Deserialize<T>(input);
}
