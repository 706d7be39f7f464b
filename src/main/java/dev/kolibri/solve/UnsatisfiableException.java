package dev.kolibri.solve;

import java.util.List;

/**
 * No set of packages meets the requests. The message is one readable paragraph; {@link #chain()} holds its parts:
 * first {@code cannot install ...}, then the requirements, conflicts and rules that together cannot be met.
 */
public class UnsatisfiableException extends Exception {
    private static final long serialVersionUID = 1L;

    private final List<String> chain;

    UnsatisfiableException(List<String> chain, String separator) {
        super(chain.size() == 1 ? chain.getFirst()
                : chain.getFirst() + ": " + String.join(separator, chain.subList(1, chain.size())));
        this.chain = List.copyOf(chain);
    }

    /** The explanation step by step: the failing request first, then each requirement down to the cause. */
    public List<String> chain() {
        return chain;
    }
}
