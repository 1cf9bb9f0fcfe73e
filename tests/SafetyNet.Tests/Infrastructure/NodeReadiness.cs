using System.Net;
using System.Text.Json;

namespace SafetyNet.Tests.Infrastructure;

/// <summary>What a node's <c>/health/ready</c> answers: the HTTP status, the report's status, and its one check's description and data.</summary>
public sealed record NodeReadiness(HttpStatusCode Code, string Report, string Description, JsonElement Data);
