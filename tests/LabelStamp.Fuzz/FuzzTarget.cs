using LabelStamp.Errors;

namespace LabelStamp.Fuzz;

/// <summary>
/// One entry point the product calls on untrusted bytes. <see cref="Run"/> feeds it one input: a typed
/// input error (any <see cref="LabelStampException"/> but LS999) is a correct answer to hostile bytes;
/// every other exception escapes, and the fuzzer records the input as a crash.
/// </summary>
public sealed record FuzzTarget(string Name, string Covers, Action<byte[]> Parse)
{
    public void Run(byte[] input)
    {
        try
        {
            Parse(input);
        }
        catch (LabelStampException e) when (e.Code != ErrorCode.Internal)
        {
            // The contract: hostile bytes get a specific typed error.
        }
    }
}
