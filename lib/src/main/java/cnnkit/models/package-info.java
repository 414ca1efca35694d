/**
 * The model zoo: six classic architectures, scaled for small images, built from the layers of
 * {@code cnnkit.layers}, each as a named {@link cnnkit.models.Model} that knows its input shape and
 * prints a {@link cnnkit.models.Model#summary() summary}.
 *
 * <pre>
 * family        factory                          usual input             params at width 1.0 (10 classes)
 * LeNet-5       Models.lenet5     / LeNet5       1x32x32 (MNIST padded)     61,706
 * AlexNet       Models.alexnet    / AlexNet      3x32x32 (CIFAR-10)      1,107,210
 * VGG-11        Models.vgg11      / VGG11        3x32x32                 9,488,266
 * GoogLeNet     Models.googlenet  / GoogLeNet    3x32x32                    97,970
 * ResNet-14     Models.resnet     / ResNet       3x32x32                   174,698  (with BN: 175,258)
 * DenseNet-BC   Models.densenetBC / DenseNet     3x32x32                    44,222  (without BN: 43,424)
 * </pre>
 *
 * Every factory takes (inChannels, inputSize, numClasses, width, seed); {@code Models.build(name, cfg)}
 * takes a name of {@code Models.NAMES} and a {@link cnnkit.models.ModelConfig}. The width multiplies channel and hidden-unit counts, so
 * {@code Models.resnet(1, 28, 10, 0.25, 42)} is a quarter-width ResNet for Fashion-MNIST. Sizes that
 * depend on the input (the first fully connected layer, the final average pool) are computed
 * from it, and an input too small for an architecture fails when the model is built, naming the
 * layer and the smallest size that works. All weights come from one {@code Random(seed)}.
 * The models output logits: train them with {@code SoftmaxCrossEntropy}.
 */
package cnnkit.models;
