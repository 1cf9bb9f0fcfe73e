using System.Text;

namespace SafetyNet.Contracts.Audit;

/// <summary>
/// The encoding of the CSV files auditors and privacy officers download. Excel opens a CSV without a byte order mark in
/// the system's code page (CP949 on a Korean Windows), garbling every Korean name and justification in it; with UTF-8's
/// byte order mark it reads UTF-8. Parsers that know CSV skip the mark (Python's utf-8-sig, .NET's readers).
/// </summary>
public static class SpreadsheetCsv
{
    public static readonly Encoding Encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: true);

    public static byte[] Bytes(string csv) => [.. Encoding.Preamble, .. Encoding.GetBytes(csv)];
}
