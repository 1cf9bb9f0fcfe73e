using System.Text.Json;

namespace SafetyNet.Api.Contracts;

/// <summary>kind clip|snapshot; seconds for a clip (1..Evidence:MaxClipSeconds); the incident, purpose and justification are required.</summary>
public sealed record EvidenceRequestBody(string? Kind, int? Seconds, string? IncidentId, string? Purpose, string? Justification);

/// <summary>An export: its signed manifest as stored, and where to fetch it, its files and the zip bundle.</summary>
public sealed record EvidenceView(string ExportId, JsonElement Manifest, string ManifestUrl, string BundleUrl, IReadOnlyList<string> FileUrls);
