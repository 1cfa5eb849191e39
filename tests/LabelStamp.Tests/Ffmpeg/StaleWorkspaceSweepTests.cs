using LabelStamp.Media.Ffmpeg;

namespace LabelStamp.Tests.Ffmpeg;

/// <summary>
/// A process killed outright leaves its workspace (a copy of someone's media) in the temp directory; the next process
/// to make a workspace deletes the stale ones. Only workspaces, only old ones: a live stamp's copy and anything else in
/// the temp directory stay.
/// </summary>
public sealed class StaleWorkspaceSweepTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("labelstamp-sweep-test-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string Make(string name, TimeSpan age)
    {
        string dir = Path.Combine(_root, name);
        Directory.CreateDirectory(dir);
        File.WriteAllBytes(Path.Combine(dir, "input.mp4"), [1, 2, 3]);
        Directory.SetLastWriteTimeUtc(dir, DateTime.UtcNow - age);
        return dir;
    }

    [Fact]
    public void Only_workspaces_older_than_the_limit_are_deleted()
    {
        string stale = Make("labelstamp-media-0dc74bdf17e64540aeca5e1cdea9399d", TimeSpan.FromHours(3));
        string live = Make("labelstamp-media-59706e26c1e64ee68abf3ce04f7cfccd", TimeSpan.FromMinutes(40));
        string other = Make("labelstamp-c2pa-2ea55986", TimeSpan.FromHours(3));

        int deleted = MediaWorkspace.SweepStale(_root, DateTime.UtcNow - MediaWorkspace.StaleAfter);

        Assert.Equal(1, deleted);
        Assert.False(Directory.Exists(stale));
        Assert.True(Directory.Exists(live));
        Assert.True(Directory.Exists(other));
    }

    [Fact]
    public void A_missing_temp_directory_is_not_an_error()
    {
        Assert.Equal(0, MediaWorkspace.SweepStale(Path.Combine(_root, "absent"), DateTime.UtcNow));
    }
}
