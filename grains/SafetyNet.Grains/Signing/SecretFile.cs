namespace SafetyNet.Grains.Signing;

/// <summary>A new file only its owner can read (mode 600 from its creation, never briefly readable by others), for a key.</summary>
public static class SecretFile
{
    public static void CreateNew(string path, string contents)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        using var file = OperatingSystem.IsWindows()
            ? new FileStream(path, FileMode.CreateNew, FileAccess.Write)
            : new FileStream(path, new FileStreamOptions
                { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite });
        using var writer = new StreamWriter(file);
        writer.Write(contents);
    }
}
