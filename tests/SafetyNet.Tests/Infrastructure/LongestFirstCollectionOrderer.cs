using Xunit;
using Xunit.Abstractions;

[assembly: TestCollectionOrderer("SafetyNet.Tests.Infrastructure.LongestFirstCollectionOrderer", "SafetyNet.Tests")]

namespace SafetyNet.Tests.Infrastructure;

/// <summary>Marks a test collection that runs for minutes, one test after another, so the run starts it first.</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class StartsFirstAttribute : Attribute;

/// <summary>
/// Starts the long serial collections (<see cref="StartsFirstAttribute"/>: the browser's and the cluster's) before the
/// rest. xUnit starts collections in its order as its two threads come free; by its default (ordered by id) the six-minute
/// browser collection came up after 225 s and then ran alone for five minutes while the other thread had nothing left.
/// Started first, each long one runs beside the others and the short ones fill in behind them. The rest keep one stable
/// order, by name.
/// </summary>
public sealed class LongestFirstCollectionOrderer : ITestCollectionOrderer
{
    public IEnumerable<ITestCollection> OrderTestCollections(IEnumerable<ITestCollection> testCollections) =>
        testCollections
            .OrderBy(collection => StartsFirst(collection) ? 0 : 1)
            .ThenBy(collection => collection.DisplayName, StringComparer.Ordinal);

    private static bool StartsFirst(ITestCollection collection) =>
        collection.CollectionDefinition?.GetCustomAttributes(typeof(StartsFirstAttribute)).Any() == true;
}
