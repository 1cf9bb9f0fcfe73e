namespace SafetyNet.Contracts.Audit;

/// <summary>
/// Names one signed checkpoint: which chain (node checkpointer) and number, the row it vouches for (<see cref="Seq"/>, the
/// position in <see cref="Shard"/>), and where it was found.
/// </summary>
[GenerateSerializer, Immutable, Alias("checkpoint-reference")]
public sealed record CheckpointReference(
    [property: Id(0)] string Chain,
    [property: Id(1)] long Number,
    [property: Id(2)] string KeyId,
    [property: Id(3)] long Seq,
    [property: Id(4)] DateTimeOffset SignedAt,
    [property: Id(5)] string Source,
    [property: Id(6)] string? Shard = null);

/// <summary>A public key that checkpoints are verified with (ECDSA P-256, SHA-256), for verifying them offline.</summary>
[GenerateSerializer, Immutable, Alias("checkpoint-key")]
public sealed record CheckpointKeyInfo(
    [property: Id(0)] string KeyId,
    [property: Id(1)] string Algorithm,
    [property: Id(2)] string PublicKeyPem,
    [property: Id(3)] bool SignsOnThisNode);
