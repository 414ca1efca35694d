package cnnkit.train;

/**
 * The learning rate to use in each epoch, given the rate the optimizer started with.
 * The trainer asks before every epoch (epochs count from 0) and sets the optimizer's rate.
 */
@FunctionalInterface
public interface LearningRateSchedule {
    double lr(int epoch, double baseLr);

    /** Keeps the starting rate for every epoch. */
    static LearningRateSchedule constant() {
        return (epoch, baseLr) -> baseLr;
    }
}
