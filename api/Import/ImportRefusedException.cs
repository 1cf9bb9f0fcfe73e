namespace SafetyNet.Api.Import;

/// <summary>A camera list refused as a whole, with the code and values a client words it by.</summary>
public sealed class ImportRefusedException(ImportRejection refusal) : Exception(refusal.Reason)
{
    public ImportRejection Refusal { get; } = refusal;
}
