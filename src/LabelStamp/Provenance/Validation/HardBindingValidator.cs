namespace LabelStamp.Provenance.Validation;

/// <summary>
/// Step 6 (C2PA §15.12): the claim's hard binding against the asset's bytes. Exactly one is required; an update
/// manifest (C2PA 2.x §10.3.1) has none of its own and inherits its parent's (<see cref="IngredientChain"/>).
/// </summary>
internal static class HardBindingValidator
{
    /// <summary>The claim's own hard bindings, each checked (the last one's verdict stands; more than one fails in <see cref="Complete"/>).</summary>
    public static HardBindingVerdict Validate(ActiveClaim claim, AssertionContents contents, ValidationContext context)
    {
        string? label = null;
        bool valid = false;
        foreach (var (bindingLabel, map) in contents.HardBindings)
        {
            label = bindingLabel;
            valid = Check(context, bindingLabel, map, claim.Alg);
        }
        return new HardBindingVerdict(label, valid, Inherited: false);
    }

    /// <summary>Without a binding of its own, the parent manifest's; then the count rule. Runs after the source type
    /// was inherited, so the problems keep the order: own bindings, parent source type, parent binding, count.</summary>
    public static HardBindingVerdict Complete(HardBindingVerdict own, ActiveClaim claim, AssertionContents contents, ValidationContext context)
    {
        int count = contents.HardBindings.Count;
        var verdict = own;
        if (count == 0 && contents.Parent is not null)
        {
            // The parent is reached through the hash in our ingredient, which the active signature covers.
            var (label, valid) = IngredientChain.ParentHardBinding(claim.Store, contents.Parent, claim.Alg, context, depth: 0,
                context.Container.Locate(context.File, context.Name));
            verdict = new HardBindingVerdict(label, valid, Inherited: label is not null);
        }
        if (count == 0 && !verdict.Inherited) context.Problems.Add("claim.hardBindings.missing");
        if (count > 1)
        {
            context.Problems.Add("assertion.multipleHardBindings");
            verdict = verdict with { Valid = false };
        }
        return verdict;
    }

    /// <summary>One hard-binding assertion; a BMFF hash binds only an ISO BMFF asset.</summary>
    /// <param name="storeNow">Where the store sits now, for a data hash an update manifest inherits.</param>
    public static bool Check(ValidationContext context, string label, Dictionary<string, object?>? map, string? claimAlg, HashExclusion? storeNow = null) => label switch
    {
        C2paIds.DataHash => DataHashCheck.Check(context, map, claimAlg, storeNow),
        C2paIds.BoxesHash => BoxesHashCheck.Check(context, map, claimAlg),
        _ => context.IsBmff && BmffHashCheck.Check(context, map, claimAlg, label),
    };
}
