namespace SafetyNet.Grains.Observability;

public static class GivenUpTask
{
    /// <summary>
    /// For an operation whose caller stopped waiting (its outcome was already reported otherwise): its fault, if it ends in
    /// one, is observed here, so that it is not raised again as an unobserved task exception.
    /// </summary>
    public static void ObserveFault(this Task task) =>
        task.ContinueWith(static given => given.Exception, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously);
}
