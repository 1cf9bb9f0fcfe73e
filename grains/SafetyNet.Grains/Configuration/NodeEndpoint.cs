namespace SafetyNet.Grains.Configuration;

/// <summary>How viewers reach this node's HTTP endpoints (Cluster:PublicBaseUrl); null means "the node they already talk to".</summary>
public sealed record NodeEndpoint(string? PublicBaseUrl);
