namespace LabelStamp.Files;

/// <summary>The type of a file system node, as stat(2) reports it (the S_IFMT bits of st_mode).</summary>
public enum FileNodeKind
{
    Regular,
    Directory,
    /// <summary>A link itself (lstat), or, when links are followed, a chain that could not be resolved (ELOOP).</summary>
    SymbolicLink,
    Fifo,
    CharacterDevice,
    BlockDevice,
    Socket,
    Unknown,
}
