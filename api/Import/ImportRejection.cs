namespace SafetyNet.Api.Import;

/// <summary>
/// Why a row was not imported: a stable <see cref="Code"/> a client translates (<see cref="ImportRejections"/>), the
/// <see cref="Values"/> its message names, and the English <see cref="Reason"/> for clients that show the server's text.
/// </summary>
public sealed record ImportRejection(string Code, string Reason, IReadOnlyDictionary<string, string> Values);
