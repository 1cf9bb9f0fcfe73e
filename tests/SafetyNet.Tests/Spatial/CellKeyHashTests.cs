using SafetyNet.Grains.Spatial;

namespace SafetyNet.Tests.Spatial;

/// <summary>The index's cell lookups stay short at national scale only if cell keys hash apart.</summary>
public sealed class CellKeyHashTests
{
    [Fact]
    public void A_national_grid_of_cells_hashes_to_almost_as_many_distinct_values_as_cells()
    {
        // Korea at 250 m: about 2,500 rows and 2,000 columns; a 600 x 600 block of them is 360,000 cells.
        var hashes = new HashSet<int>();
        var cells = 0;
        for (var row = 1_000; row < 1_600; row++)
        for (var column = 800; column < 1_400; column++)
        {
            hashes.Add(CameraGrid.CellKeyComparer.Instance.GetHashCode(CameraGrid.KeyOf(row, column)));
            cells++;
        }

        // long.GetHashCode (row XOR column) gives this block at most 2,048 distinct values.
        Assert.True(hashes.Count > cells * 0.99, $"{hashes.Count:N0} distinct hashes for {cells:N0} cells");
    }

    [Fact]
    public void Equal_keys_are_equal_and_different_keys_are_not()
    {
        var comparer = CameraGrid.CellKeyComparer.Instance;
        Assert.True(comparer.Equals(CameraGrid.KeyOf(3, 4), CameraGrid.KeyOf(3, 4)));
        Assert.False(comparer.Equals(CameraGrid.KeyOf(3, 4), CameraGrid.KeyOf(4, 3)));
    }
}
